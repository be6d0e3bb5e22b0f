// Checked by `tsc --noEmit` (ctest typescript_declarations): a V1 function using the toolbelt as
// LivePerson's examples do. Lines marked @ts-expect-error must fail to type-check.
import { Toolbelt, ErrorCodes, ToolBeltError } from 'lp-faas-toolbelt';

const secrets = Toolbelt.SecretClient();
const context = Toolbelt.ContextServiceClient({ accountId: 'acme', apiKey: 'unused' });
const http = Toolbelt.HTTPClient();

const lambda: Parley.LambdaV1<{ conversationId: string }, string> = (input, callback) => {
  const id: string = input.payload.conversationId;
  const first: Parley.Header | undefined = input.headers[0];
  console.info('invoked', id, first?.key, input.timestamp);
  Promise.all([secrets.readSecret<string>('API_KEY'), context.getPropertyInSession('bots', 'intent', id)])
    .then(async ([key, intent]) => {
      const body = await http({ uri: 'https://api.example.com/x', json: true, qs: { q: String(intent) },
                                headers: { authorization: key.value } });
      callback(null, JSON.stringify(body));
    })
    .catch((e: unknown) => {
      if (e instanceof ToolBeltError && e.code === ErrorCodes.Secret.NotFound) callback(e);
      else callback(new Error(String(e)));
    });
};

// @ts-expect-error the V1 callback takes (error, result)
const wrong: Parley.LambdaV1 = (input, callback) => callback('not an error object', 1, 2);
// @ts-expect-error readSecret takes a key
secrets.readSecret();

export { lambda, wrong };
