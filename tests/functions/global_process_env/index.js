async function lambda(input) {
  const e = process.env;
  return {
    API_KEY: e.API_KEY,
    EMPTY: e.EMPTY,
    UNICODE: e.UNICODE,
    missing: 'NOT_SET' in e,
    PARLEY_ACCOUNT_ID: e.PARLEY_ACCOUNT_ID,
    PARLEY_FUNCTION_UUID: e.PARLEY_FUNCTION_UUID,
    BRAND_ID: e.BRAND_ID,
    LAMBDA_UUID: e.LAMBDA_UUID,
    X_LIVEPERSON_BRAND_ID: e.X_LIVEPERSON_BRAND_ID,
    X_LIVEPERSON_FUNCTION_UUID: e.X_LIVEPERSON_FUNCTION_UUID,
    keys: Object.keys(e).sort(),
  };
}
