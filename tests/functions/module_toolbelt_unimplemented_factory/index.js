// Toolbelt factories Parley does not implement yet are absent, not stubs.
const { Toolbelt } = require('lp-faas-toolbelt');

async function lambda() {
  return Toolbelt.LPMtlsClient();
}
