// Toolbelt.SFClient, CsdsClient and LpClient through the real server against local fakes of
// Salesforce and of the LivePerson platform (tests/support/fake_*.h): the clients ride on fetch,
// so the allowlist applies.
#include "support/egress_fixture.h"
#include "support/fake_platform.h"
#include "support/fake_salesforce.h"

namespace parley::testing {
namespace {

using nlohmann::json;

class ToolbeltPlatform : public ::testing::Test {
 protected:
  HttpResult runWith(const std::string& name, std::string code, const std::string& sfBase) {
    for (size_t at; (at = code.find("SFBASE")) != std::string::npos;) code.replace(at, 6, sfBase);
    return f.run(name, code);
  }

  EgressFixture f{{"--egress-allow-private"}};
  FakeSalesforce sf{"sf-token"};
};

TEST_F(ToolbeltPlatform, SalesforceCrudAndPagedQuery) {
  f.allow("127.0.0.1");
  HttpResult r = runWith("sf", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      const conn = await Toolbelt.SFClient().connectToSalesforce({
        instanceUrl: 'SFBASE/', accessToken: 'sf-token', version: '58.0' });
      const accounts = conn.sobject('Account');
      const created = [];
      for (const name of ['Acme', 'Globex', 'Initech']) created.push(await accounts.create({ Name: name }));
      const first = await accounts.retrieve(created[0].id);
      const updated = await accounts.update({ Id: created[1].id, Industry: 'Energy' });
      const afterUpdate = await accounts.retrieve(created[1].id);
      const all = await conn.query('SELECT Id, Name FROM Account');
      const destroyed = await accounts.destroy(created[2].id);
      const catchIt = async (p) => {
        try { await p; return 'resolved'; } catch (e) {
          return { name: e.name, errorCode: e.errorCode, statusCode: e.statusCode, message: e.message, fields: e.fields };
        }
      };
      const gone = await catchIt(accounts.retrieve(created[2].id));
      const missingName = await catchIt(accounts.create({ Industry: 'None' }));
      const malformed = await catchIt(conn.query('SELECT Id'));
      const badToken = await catchIt((await Toolbelt.SFClient().connectToSalesforce({
        loginUrl: 'SFBASE', accessToken: 'wrong' })).query('SELECT Id FROM Account'));
      const noToken = await catchIt(Toolbelt.SFClient().connectToSalesforce({ instanceUrl: 'SFBASE' }));
      const afterDestroy = await conn.query('select Name from Account');
      return {
        created, first: { Id: first.Id, Name: first.Name, type: first.attributes.type },
        updated, industry: afterUpdate.Industry, name: afterUpdate.Name,
        all: { totalSize: all.totalSize, done: all.done, names: all.records.map((x) => x.Name),
               next: all.nextRecordsUrl === undefined },
        destroyed, gone, missingName, malformed, badToken, noToken: noToken.message,
        remaining: afterDestroy.records.map((x) => x.Name),
      };
    }
  )js", sf.base());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  ASSERT_EQ(j["created"].size(), 3u) << j;
  for (const auto& c : j["created"]) {
    EXPECT_EQ(c["success"], true);
    EXPECT_EQ(c["errors"], json::array());
  }
  std::string id0 = j["created"][0]["id"], id1 = j["created"][1]["id"], id2 = j["created"][2]["id"];
  EXPECT_EQ(j["first"], (json{{"Id", id0}, {"Name", "Acme"}, {"type", "Account"}}));
  EXPECT_EQ(j["updated"], (json{{"id", id1}, {"success", true}, {"errors", json::array()}}));
  EXPECT_EQ(j["industry"], "Energy");
  EXPECT_EQ(j["name"], "Globex");
  // Three records in pages of two: the client followed nextRecordsUrl to collect all of them.
  EXPECT_EQ(j["all"], (json{{"totalSize", 3}, {"done", true}, {"names", {"Acme", "Globex", "Initech"}},
                           {"next", true}}));
  EXPECT_EQ(j["destroyed"], (json{{"id", id2}, {"success", true}, {"errors", json::array()}}));
  EXPECT_EQ(j["gone"]["errorCode"], "NOT_FOUND");
  EXPECT_EQ(j["gone"]["name"], "NOT_FOUND");
  EXPECT_EQ(j["gone"]["statusCode"], 404);
  EXPECT_EQ(j["gone"]["message"], "The requested resource does not exist");
  EXPECT_EQ(j["missingName"]["errorCode"], "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(j["missingName"]["fields"], json::array({"Name"}));
  EXPECT_EQ(j["malformed"]["errorCode"], "MALFORMED_QUERY");
  EXPECT_EQ(j["malformed"]["statusCode"], 400);
  EXPECT_EQ(j["badToken"]["errorCode"], "INVALID_SESSION_ID");
  EXPECT_EQ(j["badToken"]["statusCode"], 401);
  EXPECT_NE(j["noToken"].get<std::string>().find("accessToken"), std::string::npos) << j["noToken"];
  EXPECT_EQ(j["remaining"], (json{"Acme", "Globex"}));
  // Two queries of three and two records: 2 + 1 pages.
  EXPECT_EQ(sf.queryPages(), 3);
}

TEST_F(ToolbeltPlatform, SalesforceHostMustBeOnTheAllowlist) {
  HttpResult r = runWith("sf", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      const conn = await Toolbelt.SFClient().connectToSalesforce({ instanceUrl: 'SFBASE', accessToken: 'sf-token' });
      try { await conn.query('SELECT Id FROM Account'); return 'resolved'; } catch (e) { return e.message; }
    }
  )js", sf.base());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.json().get<std::string>().find("allowlist"), std::string::npos) << r.body;
  EXPECT_EQ(sf.queryPages(), 0);
}

const std::string kSecrets = "/api/v1/accounts/acme/secrets";

// The platform fake must exist before the server, which learns its URL from --platform-url.
class ToolbeltLp : public ::testing::Test {
 protected:
  void SetUp() override {
    f.allow("127.0.0.1");
    HttpResult s = f.admin.call(
        "POST", kSecrets,
        {{"name", "LIVEPERSON_DEFAULT_APP_KEY"},
         {"type", "json"},
         {"value", json{{"client_id", "app"}, {"client_secret", "s3cret"}}.dump()}});
    ASSERT_EQ(s.status, 201) << s.body;
  }

  FakePlatform lp{"app", "s3cret"};
  EgressFixture f{{"--egress-allow-private", "--platform-url", lp.base() + "/"}};
};

TEST_F(ToolbeltLp, CsdsClientResolvesAndCaches) {
  HttpResult r = f.run("csds", R"js(
    const { Toolbelt, ErrorCodes } = require('lp-faas-toolbelt');
    async function lambda() {
      const csds = Toolbelt.CsdsClient();
      const msgHist = await csds.get('msgHist');
      const all = await csds.getAll();
      const again = await Toolbelt.CsdsClient().get('smt');
      let unknown;
      try { await csds.get('nope'); } catch (e) { unknown = { name: e.name, code: e.code, message: e.message }; }
      return { msgHist, services: all.map((d) => d.service), account: all[0].account, again, unknown,
               notFoundCode: ErrorCodes.Csds.NotFound };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  std::string host = lp.base().substr(std::string("http://").size());
  EXPECT_EQ(j["msgHist"], host);
  EXPECT_EQ(j["again"], host);
  EXPECT_EQ(j["services"], (json{"sentinel", "msgHist", "smt", "swift", "echo"}));
  EXPECT_EQ(j["account"], "acme");
  EXPECT_EQ(j["unknown"]["name"], "ToolBeltError");
  EXPECT_EQ(j["unknown"]["code"], "com.liveperson.faas.csds.domain.not-found");
  EXPECT_NE(j["unknown"]["message"].get<std::string>().find("nope"), std::string::npos);
  EXPECT_EQ(lp.csdsRequests(), 1);  // one invocation: the 10-minute cache served the rest
}

TEST_F(ToolbeltLp, LpClientAuthenticatesCachesTheTokenAndRetriesOn401) {
  std::string code = R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      const lpClient = Toolbelt.LpClient();
      const call = async (body) => {
        const res = await lpClient('echo', '/api/echo', { method: 'POST', body,
                                                          headers: { 'content-type': 'text/plain' } });
        return { status: res.status, body: await res.json() };
      };
      const one = await call('one');
      const two = await call('two');
      await fetch('PLATFORM/api/revoke', { method: 'POST' });  // the cached token now answers 401
      const three = await call('three');
      return { one, two, three };
    }
  )js";
  code.replace(code.find("PLATFORM"), 8, lp.base());
  HttpResult r = f.run("lp", code);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["one"]["status"], 200);
  EXPECT_EQ(j["one"]["body"]["method"], "POST");
  EXPECT_EQ(j["one"]["body"]["body"], "one");
  EXPECT_EQ(j["one"]["body"]["authorization"], "Bearer tok-1");
  std::string id1 = j["one"]["body"]["requestId"], id2 = j["two"]["body"]["requestId"];
  EXPECT_EQ(id1.size(), 36u) << j;
  EXPECT_NE(id1, id2);
  // The token was cached: the second call used it.
  EXPECT_EQ(j["two"]["body"]["authorization"], "Bearer tok-1");
  // Revoked: the first attempt got 401, the retry took a new token and succeeded.
  EXPECT_EQ(j["three"]["status"], 200);
  EXPECT_EQ(j["three"]["body"]["body"], "three");
  EXPECT_EQ(j["three"]["body"]["authorization"], "Bearer tok-2");
  EXPECT_EQ(lp.tokensIssued(), 2);
}

TEST_F(ToolbeltLp, LpClientCredentialErrors) {
  ASSERT_EQ(f.admin.call("POST", kSecrets,
                         {{"name", "LIVEPERSON_DEFAULT_BAD"}, {"value", "not json"}}).status, 201);
  ASSERT_EQ(f.admin.call("POST", kSecrets,
                         {{"name", "LIVEPERSON_DEFAULT_WRONG"},
                          {"type", "json"},
                          {"value", json{{"client_id", "app"}, {"client_secret", "no"}}.dump()}})
                .status, 201);
  HttpResult r = f.run("creds", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      const lpClient = Toolbelt.LpClient();
      const code = async (name) => {
        try { await lpClient('echo', '/api/echo', { appKeySecretName: name }); return 'resolved'; }
        catch (e) { return e.code || e.message; }
      };
      return { missing: await code('NO_SUCH_KEY'), format: await code('LIVEPERSON_DEFAULT_BAD'),
               refused: await code('LIVEPERSON_DEFAULT_WRONG') };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["missing"], "com.liveperson.faas.lp-client.get-credentials-failure");
  EXPECT_EQ(j["format"], "com.liveperson.faas.lp-client.credentials-wrong-format");
  EXPECT_EQ(j["refused"], "com.liveperson.faas.oauth2.general-issue");
}

// A messaging conversation as msgHist answers it: text and hosted-file messages, SDE events out of
// server order.
json sampleConversation() {
  auto text = [](const std::string& t, const std::string& by, int64_t at) {
    return json{{"type", "TEXT_PLAIN"}, {"messageData", {{"msg", {{"text", t}}}}},
                {"sentBy", by}, {"timeL", at}};
  };
  auto file = [](const std::string& path) {
    return json{{"type", "HOSTED_FILE"},
                {"messageData", {{"file", {{"relativePath", path}, {"fileType", "PNG"}}}}},
                {"sentBy", "Consumer"}, {"timeL", 5}};
  };
  return json{
      {"info", {{"conversationId", "conv-1"}, {"status", "CLOSE"}}},
      {"messageRecords",
       {text("Hi, I want a REFUND", "Consumer", 1), text("Sure, let me check", "Agent", 2),
        file("a/photo.png"), file("b/receipt.png"), text("cancel it, refund please", "Consumer", 3)}},
      {"sdes", {{"events", {{{"serverTimeStamp", 20}, {"sdeType", "PERSONAL_INFO"}},
                            {{"serverTimeStamp", 10}, {"sdeType", "CUSTOMER_INFO"}}}}}},
      {"unAuthSdes", {{"events", {{{"serverTimeStamp", 7}, {"sdeType", "SERVICE_ACTIVITY"}}}}}}};
}

TEST_F(ToolbeltLp, ConversationUtilFetchesAndScans) {
  lp.setConversation(sampleConversation());
  HttpResult r = f.run("conv", R"js(
    const { Toolbelt, ConversationContentTypes } = require('lp-faas-toolbelt');
    async function lambda() {
      const util = Toolbelt.ConversationUtil();
      const conv = await util.getConversationById('conv-1',
        [ConversationContentTypes.MESSAGE_RECORDS, ConversationContentTypes.SDES]);
      const hits = util.scanConversationForKeywords(conv, ['refund', 'Cancel', 'lawyer']);
      let missing;
      try { await util.getConversationById('conv-404'); } catch (e) { missing = e.code; }
      let noId;
      try { await util.getConversationById(''); } catch (e) { noId = e.code; }
      return { id: conv.info.conversationId, hits, missing, noId };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["id"], "conv-1");
  EXPECT_EQ(j["hits"], (json{{{"message", "Hi, I want a REFUND"}, {"sentTimestamp", 1}, {"sentBy", "Consumer"}, {"tag", "refund"}},
                             {{"message", "cancel it, refund please"}, {"sentTimestamp", 3}, {"sentBy", "Consumer"}, {"tag", "refund"}},
                             {{"message", "cancel it, refund please"}, {"sentTimestamp", 3}, {"sentBy", "Consumer"}, {"tag", "Cancel"}}}));
  EXPECT_EQ(j["missing"], "com.liveperson.faas.conversation-util.conversation.not-found");
  EXPECT_EQ(j["noId"], "com.liveperson.faas.conversation-util-general");
  json search = lp.lastSearch();
  EXPECT_EQ(search["conversationId"], "conv-404");
  EXPECT_EQ(search["query"], "v=2&company=lp&source=FaaS_Toolbelt");
}

TEST_F(ToolbeltLp, SdeUtilSendsAndOrders) {
  lp.setConversation(sampleConversation());
  HttpResult r = f.run("sde", R"js(
    const { Toolbelt, SDETypes } = require('lp-faas-toolbelt');
    async function lambda() {
      const util = Toolbelt.SDEUtil();
      const sdes = [{ type: SDETypes.CUSTOMER_INFO, info: { customerId: 'c-9' } }];
      await util.addSDEs(sdes, 'visitor-1', 'session-1');
      let broken;
      try { await util.addSDEs(sdes, 'broken', 's'); } catch (e) { broken = e.code; }
      let bad;
      try { await util.addSDEs('x', 'v', 's'); } catch (e) { bad = e.code; }
      const conv = await Toolbelt.ConversationUtil().getConversationById('conv-1');
      const fromConv = util.getSDEsFromConv(conv);
      return { broken, bad, order: fromConv.sdes.map((e) => e.serverTimeStamp),
               unAuth: fromConv.unAuthSdes.length, none: util.getSDEsFromConv({}) };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  json sent = lp.sdeRequests();
  ASSERT_EQ(sent.size(), 1u) << sent;
  EXPECT_EQ(sent[0]["visitor"], "visitor-1");
  EXPECT_EQ(sent[0]["sid"], "session-1");
  EXPECT_EQ(sent[0]["v"], "1");
  EXPECT_EQ(sent[0]["body"], (json{{{"type", "ctmrinfo"}, {"info", {{"customerId", "c-9"}}}}}));
  EXPECT_EQ(j["broken"], "com.liveperson.faas.sdes-util.unexpected-response");
  EXPECT_EQ(j["bad"], "com.liveperson.faas.sdes-util-general");
  EXPECT_EQ(j["order"], (json{10, 20}));
  EXPECT_EQ(j["unAuth"], 1);
  EXPECT_EQ(j["none"], json::object());
}

TEST_F(ToolbeltLp, GdprUtilReplacesTheConversationsFiles) {
  json conv = sampleConversation();
  f.deploy("gdpr", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda(input) {
      const util = Toolbelt.GDPRUtil();
      const conv = input.payload.conversation;
      const replaced = await util.replaceConversationFiles(conv, { username: 'gdpr', password: 'pw' },
        (path) => path !== 'b/receipt.png');
      const custom = await util.replaceConversationFiles(conv, { username: 'gdpr', password: 'pw' },
        (path) => path === 'b/receipt.png', { body: Buffer.from('redacted'), contentType: 'text/plain' });
      const code = async (p) => { try { await p; return 'resolved'; } catch (e) { return e.code; } };
      const badCreds = await code(util.replaceConversationFiles(conv, { username: 'gdpr', password: 'no' }));
      const refusedConv = { messageRecords: [{ messageData: { file: { relativePath: 'refuse/x.png' } } }] };
      const refused = await code(util.replaceConversationFiles(refusedConv, { username: 'gdpr', password: 'pw' }));
      return { replaced, custom, badCreds, refused };
    }
  )js");
  HttpResult r = f.invoke("gdpr", {{"conversation", conv}});
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["replaced"], (json{"a/photo.png"}));
  EXPECT_EQ(j["custom"], (json{"b/receipt.png"}));
  EXPECT_EQ(j["badCreds"], "com.liveperson.faas.gdpr-util.auth-failed");
  EXPECT_EQ(j["refused"], "com.liveperson.faas.gdpr-util.replace-file-failed");
  // The default replacement is a PNG; the custom one what the function gave.
  json files = lp.storedFiles();
  ASSERT_EQ(files.size(), 2u) << files;
  EXPECT_EQ(files[0]["path"], "a/photo.png");
  EXPECT_EQ(files[0]["contentType"], "image/png");
  EXPECT_EQ(files[0]["size"], 67);
  EXPECT_EQ(files[1], (json{{"path", "b/receipt.png"}, {"contentType", "text/plain"}, {"size", 8}}));
}

TEST(ToolbeltLpUnconfigured, FailsSayingThePlatformIsNotConfigured) {
  EgressFixture f{{"--egress-allow-private"}};
  HttpResult r = f.run("csds", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      try { await Toolbelt.CsdsClient().get('msgHist'); return 'resolved'; }
      catch (e) { return { code: e.code, message: e.message }; }
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["code"], "com.liveperson.faas.csds.op-failed");
  EXPECT_NE(r.json()["message"].get<std::string>().find("--platform-url"), std::string::npos);
}

}  // namespace
}  // namespace parley::testing
