// Toolbelt.SFClient through the real server against a local fake Salesforce
// (tests/support/fake_salesforce.h): the client rides on fetch, so the allowlist applies.
#include "support/egress_fixture.h"
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

}  // namespace
}  // namespace parley::testing
