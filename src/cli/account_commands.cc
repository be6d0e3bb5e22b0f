// `parley secrets set|delete`, `parley domains add|remove`, `parley clients create`,
// `parley events publish`.
#include <iostream>
#include <iterator>

#include "base/strings.h"
#include "cli/api_client.h"
#include "cli/common.h"
#include "cli/output.h"

namespace parley::cli {

namespace {

using nlohmann::json;

struct SecretOptions {
  std::string name;
  std::string value;
  bool valueStdin = false;
  bool isJson = false;
};

int setSecret(const Globals& g, const SecretOptions& o) {
  std::string value = o.value;
  if (o.valueStdin) {
    if (!value.empty()) throw usageError("give the value or --value-stdin, not both");
    value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  } else if (value.empty()) {
    throw usageError("give the value, or --value-stdin to read it from standard input");
  }
  if (o.isJson) parseJsonArg(value, "the value");
  Session s = openSession(g);
  json body = {{"name", o.name}, {"value", value}, {"type", o.isJson ? "json" : "plaintext"}};
  ApiResponse created = s.client.send("POST", s.accountPath() + "/secrets", body.dump());
  if (created.status == 409) {  // exists: replace it
    body.erase("name");
    s.client.call("PUT", s.accountPath() + "/secrets/" + urlEncode(o.name), body);
    std::cout << "Replaced secret " << o.name << ".\n";
    return 0;
  }
  if (created.status != 201 && created.status != 200) {
    s.client.fail(created, "POST", s.accountPath() + "/secrets");
  }
  std::cout << "Created secret " << o.name << ".\n";
  return 0;
}

int deleteNamed(const Globals& g, const std::string& collection, const std::vector<std::string>& names,
                const std::string& what) {
  Session s = openSession(g);
  return forEachItem(names, [&](const std::string& n) {
    s.client.call("DELETE", s.accountPath() + "/" + collection + "/" + urlEncode(n));
    std::cout << "Removed " << what << " " << n << ".\n";
  });
}

int addDomains(const Globals& g, const std::vector<std::string>& domains) {
  Session s = openSession(g);
  return forEachItem(domains, [&](const std::string& d) {
    s.client.call("POST", s.accountPath() + "/domains", {{"domain", d}});
    std::cout << "Allowed " << d << ".\n";
  });
}

int createClient(const Globals& g, const std::string& name, const std::vector<std::string>& scopes) {
  Session s = openSession(g);
  json created = s.client.call("POST", s.accountPath() + "/clients", {{"name", name}, {"scopes", scopes}});
  if (g.output != "table") {
    printObject(std::cout, g.output, created);
    return 0;
  }
  std::cout << "Created API client " << name << ".\n"
            << "client id:     " << created.value("clientId", "") << "\n"
            << "client secret: " << created.value("clientSecret", "") << "\n"
            << "The secret is shown only now. Get tokens with:\n"
            << "  curl -d grant_type=client_credentials -d client_id=… -d client_secret=… "
            << s.server << s.accountPath() << "/oauth/token\n";
  return 0;
}

struct PublishOptions {
  std::string type;
  std::string data;
  std::string dataFile;
  std::string subject;
  std::string source = "parley-cli";
  std::string id;
  std::string skillId;
};

int publish(const Globals& g, const PublishOptions& o) {
  json data = payloadArg(o.data, o.dataFile, json::object(), "--data");
  json event = {{"specversion", "1.0"},
                {"id", o.id.empty() ? randomUuid() : o.id},
                {"source", o.source},
                {"type", o.type},
                {"datacontenttype", "application/json"},
                {"data", data}};
  if (!o.subject.empty()) event["subject"] = o.subject;
  if (!o.skillId.empty()) event["skillid"] = o.skillId;
  Session s = openSession(g);
  ApiResponse r = s.client.send("POST", s.accountPath() + "/events", event.dump(),
                                "application/cloudevents+json");
  if (r.status != 202 && r.status != 200) s.client.fail(r, "POST", s.accountPath() + "/events");
  if (g.output == "json") {
    std::cout << r.body << "\n";
  } else {
    std::cout << "Published event " << event["id"].get<std::string>() << " (" << o.type << ").\n";
  }
  return 0;
}

}  // namespace

void addAccountCommands(CommandContext& c) {
  CLI::App* secrets = c.app.add_subcommand("secrets", "Create, replace or delete the account's secrets (Admin)");
  secrets->require_subcommand(1);
  auto so = std::make_shared<SecretOptions>();
  CLI::App* set = secrets->add_subcommand("set", "Create or replace a secret");
  set->add_option("name", so->name, "Secret name")->required();
  set->add_option("value", so->value, "The value (prefer --value-stdin: arguments land in shell history)");
  set->add_flag("--value-stdin", so->valueStdin, "Read the value from standard input");
  set->add_flag("--json", so->isJson, "The value is JSON (functions receive it parsed)");
  set->callback([&c, so] { runGuarded("secrets set", c.exitCode, [&] { return setSecret(c.globals, *so); }); });
  auto delNames = std::make_shared<std::vector<std::string>>();
  CLI::App* del = secrets->add_subcommand("delete", "Delete secrets");
  del->add_option("names", *delNames, "Secret names")->required();
  del->callback([&c, delNames] {
    runGuarded("secrets delete", c.exitCode, [&] { return deleteNamed(c.globals, "secrets", *delNames, "secret"); });
  });

  CLI::App* domains = c.app.add_subcommand("domains", "Manage the outbound-domain allowlist");
  domains->require_subcommand(1);
  auto addList = std::make_shared<std::vector<std::string>>();
  CLI::App* add = domains->add_subcommand("add", "Allow hosts (example.com or *.example.com)");
  add->add_option("domains", *addList, "Domains")->required();
  add->callback([&c, addList] { runGuarded("domains add", c.exitCode, [&] { return addDomains(c.globals, *addList); }); });
  auto rmList = std::make_shared<std::vector<std::string>>();
  CLI::App* rm = domains->add_subcommand("remove", "Remove hosts from the allowlist");
  rm->add_option("domains", *rmList, "Domains")->required();
  rm->callback([&c, rmList] {
    runGuarded("domains remove", c.exitCode, [&] { return deleteNamed(c.globals, "domains", *rmList, "domain"); });
  });

  CLI::App* clients = c.app.add_subcommand("clients", "API clients (client credentials) of the account");
  clients->require_subcommand(1);
  auto clientName = std::make_shared<std::string>();
  auto scopes = std::make_shared<std::vector<std::string>>();
  CLI::App* create = clients->add_subcommand("create", "Create an API client; prints its secret once");
  create->add_option("name", *clientName, "Client name")->required();
  create->add_option("-s,--scope", *scopes, "Scopes (functions.invoke, functions.manage, events.publish)")
      ->delimiter(',');
  create->callback([&c, clientName, scopes] {
    runGuarded("clients create", c.exitCode, [&] { return createClient(c.globals, *clientName, *scopes); });
  });

  CLI::App* events = c.app.add_subcommand("events", "Publish events to the account");
  events->require_subcommand(1);
  auto po = std::make_shared<PublishOptions>();
  CLI::App* pub = events->add_subcommand("publish", "Publish a CloudEvent (its type is the event id)");
  pub->add_option("type", po->type, "Event id, e.g. controllerbot_messaging_new_conversation")->required();
  pub->add_option("--data", po->data, "The payload, as JSON");
  pub->add_option("--data-file", po->dataFile, "A file holding the payload as JSON");
  pub->add_option("--subject", po->subject, "Subject (the conversation); events of one subject stay in order");
  pub->add_option("--source", po->source, "Source (default parley-cli)");
  pub->add_option("--id", po->id, "Event id for deduplication (default: a new UUID)");
  pub->add_option("--skill-id", po->skillId, "Skill id (skill-bound functions)");
  pub->callback([&c, po] { runGuarded("events publish", c.exitCode, [&] { return publish(c.globals, *po); }); });
}

}  // namespace parley::cli
