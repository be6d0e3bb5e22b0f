// Toolbelt.ConversationUtil(), SDEUtil() and GDPRUtil(): conversation helpers over LpClient and
// CsdsClient (internal__toolbelt_platform.js), so the platform's hosts must be on the allowlist.
// Loaded by toolbelt.js, which passes {ToolBeltError, ErrorCodes, platform}.
//
// ConversationUtil
//   getConversationById(id, contentToRetrieve?) POSTs {conversationId, contentToRetrieve} to msgHist
//   /messaging_history/api/account/{acct}/conversations/conversation/search?v=2&company=lp&
//   source=FaaS_Toolbelt and resolves the first of conversationHistoryRecords. None →
//   conversation-util.conversation.not-found; non-2xx or not JSON → …unexpected-response; a
//   transport failure → conversation-util-general.
//   scanConversationForKeywords(conversation, keywords) → [{message, sentTimestamp, sentBy, tag}]
//   for every text message containing a keyword (case-insensitive), in message order.
// SDEUtil
//   addSDEs(sdes, visitorId, sessionId) POSTs the SDE array to smt /api/account/{acct}/monitoring/
//   visitors/{visitorId}/visits/current/events?v=1&sid={sessionId}; non-2xx →
//   sdes-util.unexpected-response, bad arguments / transport → sdes-util-general.
//   getSDEsFromConv(conversation) → {sdes?, unAuthSdes?}: each one's events ordered by
//   serverTimeStamp.
// GDPRUtil
//   replaceConversationFiles(conversation, {username, password}, shouldReplace?, replacementFile?)
//   authenticates against CSDS "swift" GET /auth/v1.0 (X-Auth-User "{acct}:{username}",
//   X-Auth-Key password → X-Auth-Token, X-Storage-Url), then PUTs the replacement (a 1×1 black PNG
//   by default) over every hosted file of the conversation (messageData.file.relativePath) that
//   shouldReplace accepts; resolves the replaced paths. Auth refused → gdpr-util.auth-failed; a
//   PUT refused → gdpr-util.replace-file-failed; anything else → gdpr-util-general.
'use strict';

module.exports = function conversation({ ToolBeltError, ErrorCodes, platform }) {
  const { fetch } = globalThis;
  // 1×1 black PNG (8-bit greyscale, one 0 pixel).
  const BLACK_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');

  const errorOf = (component) => (code, message) => new ToolBeltError(component, code, message);
  const convError = errorOf('ConversationUtil');
  const sdeError = errorOf('SDEUtil');
  const gdprError = errorOf('GDPRUtil');

  // A ToolBeltError from a lower layer (CSDS, credentials) passes through; others are wrapped.
  function wrap(e, make, code) {
    return e instanceof ToolBeltError ? e : make(code, e && e.message ? e.message : String(e));
  }

  class ConversationUtil {
    #lpClient = platform.LpClient();

    async getConversationById(conversationId, contentToRetrieve) {
      if (typeof conversationId !== 'string' || conversationId === '') {
        throw convError(ErrorCodes.ConversationUtil.General, 'getConversationById: give a conversation id');
      }
      const { accountId } = await platform.platformConfig();
      const body = { conversationId };
      if (Array.isArray(contentToRetrieve)) body.contentToRetrieve = contentToRetrieve;
      let res;
      let text;
      try {
        res = await this.#lpClient('msgHist', `/messaging_history/api/account/${encodeURIComponent(accountId)}` +
          '/conversations/conversation/search?v=2&company=lp&source=FaaS_Toolbelt', {
          method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        });
        text = await res.text();
      } catch (e) {
        throw wrap(e, convError, ErrorCodes.ConversationUtil.General);
      }
      if (!res.ok) {
        throw convError(ErrorCodes.ConversationUtil.UnexpectedResponse, `msgHist answered HTTP ${res.status}`);
      }
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch (_) {
        throw convError(ErrorCodes.ConversationUtil.UnexpectedResponse, 'msgHist answered something that is not JSON');
      }
      const records = parsed && parsed.conversationHistoryRecords;
      if (!Array.isArray(records) || records.length === 0) {
        throw convError(ErrorCodes.ConversationUtil.NotFound, `Conversation ${conversationId} was not found`);
      }
      return records[0];
    }

    scanConversationForKeywords(conversation, keywords) {
      const records = conversation && Array.isArray(conversation.messageRecords) ? conversation.messageRecords : [];
      const tags = (Array.isArray(keywords) ? keywords : []).filter((k) => typeof k === 'string' && k !== '');
      const hits = [];
      for (const record of records) {
        const msg = record && record.messageData && record.messageData.msg;
        const text = msg && typeof msg.text === 'string' ? msg.text : undefined;
        if (text === undefined) continue;
        const lower = text.toLowerCase();
        for (const tag of tags) {
          if (lower.includes(tag.toLowerCase())) {
            hits.push({ message: text, sentTimestamp: record.timeL, sentBy: record.sentBy, tag });
          }
        }
      }
      return hits;
    }
  }

  class SDEUtil {
    #lpClient = platform.LpClient();

    async addSDEs(sdes, visitorId, sessionId) {
      if (!Array.isArray(sdes) || typeof visitorId !== 'string' || visitorId === '' ||
          typeof sessionId !== 'string' || sessionId === '') {
        throw sdeError(ErrorCodes.SDEsUtil.General, 'addSDEs: give an array of SDEs, a visitorId and a sessionId');
      }
      const { accountId } = await platform.platformConfig();
      let res;
      try {
        res = await this.#lpClient('smt', `/api/account/${encodeURIComponent(accountId)}/monitoring/visitors/` +
          `${encodeURIComponent(visitorId)}/visits/current/events?v=1&sid=${encodeURIComponent(sessionId)}`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sdes),
        });
        await res.text();
      } catch (e) {
        throw wrap(e, sdeError, ErrorCodes.SDEsUtil.General);
      }
      if (!res.ok) {
        throw sdeError(ErrorCodes.SDEsUtil.UnexpectedResponse, `smt answered HTTP ${res.status}`);
      }
    }

    getSDEsFromConv(conversation) {
      const out = {};
      const byTime = (a, b) => (Number(a && a.serverTimeStamp) || 0) - (Number(b && b.serverTimeStamp) || 0);
      for (const kind of ['sdes', 'unAuthSdes']) {
        const events = conversation && conversation[kind] && conversation[kind].events;
        if (Array.isArray(events)) out[kind] = [...events].sort(byTime);
      }
      return out;
    }
  }

  class GDPRUtil {
    #csds = new platform.CsdsClient();

    async replaceConversationFiles(conversation, credentials, shouldReplace, replacementFile) {
      const { username, password } = credentials || {};
      if (typeof username !== 'string' || typeof password !== 'string') {
        throw gdprError(ErrorCodes.GDPRUtil.General, 'replaceConversationFiles: give credentials {username, password}');
      }
      const accept = typeof shouldReplace === 'function' ? shouldReplace : () => true;
      const file = replacementFile || { body: BLACK_PNG, contentType: 'image/png' };
      const records = conversation && Array.isArray(conversation.messageRecords) ? conversation.messageRecords : [];
      const paths = [];
      for (const r of records) {
        const p = r && r.messageData && r.messageData.file && r.messageData.file.relativePath;
        if (typeof p === 'string' && p !== '' && !paths.includes(p) && accept(p)) paths.push(p);
      }
      if (paths.length === 0) return [];
      const { baseUrl, accountId } = await platform.platformConfig();
      let token;
      let storageUrl;
      try {
        const swift = await this.#csds.get('swift');
        const scheme = baseUrl.startsWith('http://') ? 'http://' : 'https://';
        const auth = await fetch(`${scheme}${swift}/auth/v1.0`, {
          headers: { 'X-Auth-User': `${accountId}:${username}`, 'X-Auth-Key': password },
        });
        await auth.text();
        if (!auth.ok) throw gdprError(ErrorCodes.GDPRUtil.AuthFailure, `swift refused the credentials (HTTP ${auth.status})`);
        token = auth.headers.get('x-auth-token');
        storageUrl = auth.headers.get('x-storage-url');
        if (!token || !storageUrl) {
          throw gdprError(ErrorCodes.GDPRUtil.AuthFailure, 'swift answered without X-Auth-Token and X-Storage-Url');
        }
      } catch (e) {
        throw wrap(e, gdprError, ErrorCodes.GDPRUtil.General);
      }
      const replaced = [];
      for (const p of paths) {
        let res;
        try {
          res = await fetch(storageUrl.replace(/\/+$/, '') + '/' + p.replace(/^\/+/, ''), {
            method: 'PUT', headers: { 'X-Auth-Token': token, 'content-type': file.contentType }, body: file.body,
          });
          await res.text();
        } catch (e) {
          throw wrap(e, gdprError, ErrorCodes.GDPRUtil.General);
        }
        if (!res.ok) {
          throw gdprError(ErrorCodes.GDPRUtil.ReplaceFileFailed, `Replacing ${p} failed: HTTP ${res.status}`);
        }
        replaced.push(p);
      }
      return replaced;
    }
  }

  return { ConversationUtil, SDEUtil, GDPRUtil };
};
