// Checked by `tsc --noEmit`: a V2 function using every toolbelt client and the globals.
import {
  Toolbelt, ErrorStrategy, ConversationContentTypes, SDETypes, LpServices, type Conversation,
} from 'core-functions-toolbelt';

export async function lambda(input: Parley.Input<{ conversationId: string; visitorId: string }>) {
  const res = await fetch('https://api.example.com/items', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }),
    signal: AbortSignal.timeout(2000),
  });
  const items: unknown = res.ok ? await res.json() : await res.text();
  const controller = new AbortController();
  controller.abort();

  const ctx = Toolbelt.ContextServiceClient('api-key');
  const ns = await ctx.createNamespace('carts', { ttl: 600 });
  const created: Date = ns.createdAt;
  await ctx.setPropertiesInNamespace('carts', { items }, input.payload.conversationId);
  const sessions: string[] = await ctx.getListOfSessions('carts');

  const results = await Toolbelt.OrchestratorClient().invoke<{ doubled: number }>(
    [{ uuid: 'f196e196-7cf2-4d32-bbd6-4173eb736b08', payload: {}, headers: { h: 'v' } }], 10000,
    { errorStrategy: ErrorStrategy.ContinueOnError, invokeParallel: true, retries: 1 });
  const doubled = results[0].result?.doubled;

  const mtls = Toolbelt.MTLSClient({ cert: process.env.CERT ?? '', key: process.env.KEY ?? '' });
  const mres = await mtls.post('https://bank.example.com', { a: 'b' }, { x: 1 }, { json: true, timeout: 1000 });

  const sf = await Toolbelt.SFClient().connectToSalesforce({ instanceUrl: 'https://x.my.salesforce.com', accessToken: 't' });
  const accounts = await sf.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Account');
  const saved = await sf.sobject('Account').create({ Name: 'Acme' });
  await sf.sobject('Account').update({ Id: saved.id, Name: 'Acme 2' });

  const lp = Toolbelt.LpClient();
  const lpRes: Response = await lp(LpServices.MSG_HIST, '/messaging_history/api/account/1/x', { method: 'GET' });
  const conv: Conversation = await Toolbelt.ConversationUtil().getConversationById(
    input.payload.conversationId, [ConversationContentTypes.MESSAGE_RECORDS, ConversationContentTypes.SDES]);
  const hits = Toolbelt.ConversationUtil().scanConversationForKeywords(conv, ['refund']);
  await Toolbelt.SDEUtil().addSDEs([{ type: SDETypes.CUSTOMER_INFO, info: {} }], input.payload.visitorId, 's');
  const replaced: string[] = await Toolbelt.GDPRUtil().replaceConversationFiles(conv, { username: 'u', password: 'p' });
  const host: string = await Toolbelt.CsdsClient().get('msgHist');

  const bytes = new TextEncoder().encode('x');
  const b64 = Buffer.from(bytes).toString('base64');
  const url = new URL('/p?q=1', 'https://example.com');
  const timer = setTimeout(() => {}, 10);
  clearTimeout(timer);
  const id = crypto.randomUUID();

  // @ts-expect-error the deadline is a number of ms
  await Toolbelt.OrchestratorClient().invoke([], '25s');
  // @ts-expect-error there is no such content type
  await Toolbelt.ConversationUtil().getConversationById('1', ['everything']);

  return { created, sessions, doubled, status: mres.statusCode, n: accounts.totalSize, lp: lpRes.status,
           hits: hits.length, replaced, host, b64, url: url.searchParams.get('q'), id };
}

export const typed: Parley.LambdaV2<{ n: number }, number> = async (input) => input.payload.n * 2;
