// Secret Storage: reads and updates secrets with the toolbelt's SecretClient.
//
// Before running it, an Admin creates two secrets (console: Secrets; CLI:
// `parley secrets set API_KEY <value>` and `parley secrets set RUN_COUNTER 0`).
// The API key's value is never logged in clear: Parley masks secret values in stored logs.
const { Toolbelt } = require('lp-faas-toolbelt');

const secretClient = Toolbelt.SecretClient();
const API_KEY_SECRET = process.env.API_KEY_SECRET || 'API_KEY';
const COUNTER_SECRET = process.env.COUNTER_SECRET || 'RUN_COUNTER';

async function lambda(input) {
  // Cached for five minutes per instance; pass {useCache: false} for the newest value.
  const apiKey = await secretClient.readSecret(API_KEY_SECRET);
  console.info(`Read secret ${apiKey.key} (${String(apiKey.value).length} characters)`);

  const counter = await secretClient.readSecret(COUNTER_SECRET, { useCache: false });
  const runs = (parseInt(counter.value, 10) || 0) + 1;
  await secretClient.updateSecret({ key: COUNTER_SECRET, value: String(runs) });
  console.info(`${COUNTER_SECRET} is now ${runs}`);

  return { secret: apiKey.key, runs };
}
