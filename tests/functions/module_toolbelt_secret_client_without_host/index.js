// Without a host (the runtime alone), SecretClient fails with ToolBeltErrors carrying the codes.
const { Toolbelt, ErrorCodes, ToolBeltError } = require('lp-faas-toolbelt');

async function lambda() {
  const client = Toolbelt.SecretClient();
  const caught = (p) => p.then(() => null, (e) => e);
  const unavailable = await caught(client.readSecret('API_KEY'));
  const badKey = await caught(client.readSecret('no spaces'));
  const noValue = await caught(client.updateSecret({ key: 'K' }));
  const tooLong = await caught(client.updateSecret({ key: 'K', value: 'x'.repeat(16385) }));
  return {
    code: unavailable.code,
    isToolBeltError: unavailable instanceof ToolBeltError,
    name: unavailable.name,
    component: unavailable.component,
    badKey: badKey.code,
    noValue: noValue.code,
    tooLong: tooLong.code,
    sameModule: require('core-functions-toolbelt') === require('lp-faas-toolbelt'),
    systemSecret: ErrorCodes.Secret.SystemSecret,
  };
}
