// Toolbelt.HTTPClient (request-promise style) and Toolbelt.MTLSClient through the real server:
// both ride on fetch, so the allowlist applies; mTLS against `openssl s_server` demanding a client
// certificate signed by a CA the test makes.
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/egress_fixture.h"

namespace parley::testing {
namespace {

using nlohmann::json;

class ToolbeltHttp : public ::testing::Test {
 protected:
  EgressFixture f{{"--egress-allow-private"}};
};

TEST_F(ToolbeltHttp, RequestPromiseStyleClient) {
  f.allow("127.0.0.1");
  HttpResult r = f.run("rp", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    async function lambda() {
      const rp = Toolbelt.HTTPClient();
      const asJson = await rp({ uri: 'TARGET/json', json: true });
      const text = await rp('TARGET/hello');
      const full = await rp.post({
        url: 'TARGET/echo', qs: { a: 1, b: ['x', 'y'] }, body: { hello: 'world' }, json: true,
        headers: { 'X-Custom': 'v' }, auth: { bearer: 'tok' }, resolveWithFullResponse: true,
      });
      const form = await rp({ method: 'PUT', uri: 'TARGET/echo', form: { a: 'b c' }, json: true });
      let notFound;
      try { await rp('TARGET/status?code=404'); } catch (e) {
        notFound = { name: e.name, statusCode: e.statusCode, error: e.error, message: e.message };
      }
      const lenient = await rp({ uri: 'TARGET/status?code=503', simple: false, resolveWithFullResponse: true });
      let refused;
      try { await rp('http://not-allowed.example/'); } catch (e) { refused = { name: e.name, message: e.message }; }
      let noUri;
      try { await rp({}); } catch (e) { noUri = e.message; }
      const bytes = await rp({ uri: 'TARGET/hello', encoding: null });
      return {
        asJson, text, noUri, notFound, refused, bytes: [Buffer.isBuffer(bytes), bytes.length],
        full: { status: full.statusCode, type: full.headers['content-type'], body: full.body },
        form: { type: form.headers['content-type'], body: form.body, method: form.method },
        lenient: { status: lenient.statusCode, body: lenient.body },
      };
    }
  )js");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["asJson"], (json{{"ok", true}, {"n", 42}}));
  EXPECT_EQ(j["text"], "hello");
  EXPECT_EQ(j["full"]["status"], 200);
  EXPECT_EQ(j["full"]["type"], "application/json");
  json echoed = j["full"]["body"];
  EXPECT_EQ(echoed["method"], "POST");
  EXPECT_EQ(echoed["query"], "a=1&b=x&b=y");
  EXPECT_EQ(echoed["headers"]["x-custom"], "v");
  EXPECT_EQ(echoed["headers"]["authorization"], "Bearer tok");
  EXPECT_EQ(echoed["headers"]["content-type"], "application/json");
  EXPECT_EQ(json::parse(echoed["body"].get<std::string>()), (json{{"hello", "world"}}));
  EXPECT_EQ(j["form"]["method"], "PUT");
  EXPECT_EQ(j["form"]["body"], "a=b+c");
  EXPECT_EQ(j["form"]["type"], "application/x-www-form-urlencoded");
  EXPECT_EQ(j["notFound"]["name"], "StatusCodeError");
  EXPECT_EQ(j["notFound"]["statusCode"], 404);
  EXPECT_EQ(j["notFound"]["error"], "status 404");
  EXPECT_EQ(j["notFound"]["message"], "404 - \"status 404\"");
  EXPECT_EQ(j["lenient"]["status"], 503);
  EXPECT_EQ(j["lenient"]["body"], "status 503");
  EXPECT_EQ(j["refused"]["name"], "RequestError");
  EXPECT_NE(j["refused"]["message"].get<std::string>().find("allowlist"), std::string::npos)
      << j["refused"];
  EXPECT_NE(j["noUri"].get<std::string>().find("uri"), std::string::npos) << j["noUri"];
  EXPECT_EQ(j["bytes"], (json{true, 5}));
}

// A CA, a server certificate for 127.0.0.1 and a client certificate, made by openssl; and
// `openssl s_server -Verify 1 -www`, which refuses clients without a certificate from that CA and
// answers HTTP with a status page naming the client certificate.
class MtlsServer {
 public:
  MtlsServer() {
    dir_ = std::filesystem::temp_directory_path() / ("parley-mtls-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::string d = dir_.string();
    std::string script =
        "cd " + d + " && "
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 "
        "-subj '/CN=Parley Test CA' && "
        "openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj '/CN=127.0.0.1' && "
        "printf 'subjectAltName=IP:127.0.0.1\\n' > ext && "
        "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
        "-days 1 -extfile ext && "
        "openssl req -newkey rsa:2048 -nodes -keyout cli.key -out cli.csr -subj '/CN=parley-client' && "
        "openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cli.pem -days 1";
    EXPECT_EQ(std::system(("(" + script + ") >/dev/null 2>&1").c_str()), 0);
    port_ = freePort();
    pid_ = fork();
    if (pid_ == 0) {
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      std::string accept = std::to_string(port_);
      execlp("openssl", "openssl", "s_server", "-accept", accept.c_str(), "-cert",
             (d + "/srv.pem").c_str(), "-key", (d + "/srv.key").c_str(), "-CAfile",
             (d + "/ca.pem").c_str(), "-Verify", "1", "-www", "-quiet", nullptr);
      _exit(127);
    }
    waitUntilListening();
  }
  ~MtlsServer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }
  std::string pem(const std::string& name) const {
    std::ifstream in(dir_ / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  static int freePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
  }
  void waitUntilListening() {
    for (int i = 0; i < 500; ++i) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(port_));
      bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      close(fd);
      if (up) return;
      usleep(20 * 1000);
    }
    ADD_FAILURE() << "openssl s_server did not start";
  }

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(ToolbeltHttp, MutualTlsClient) {
  MtlsServer mtls;
  f.allow("127.0.0.1");
  f.deploy("mtls", R"js(
    const { Toolbelt } = require('lp-faas-toolbelt');
    const codeOf = (fn) => { try { fn(); return 'no error'; } catch (e) { return e.code; } };
    async function lambda(input) {
      const { url, cert, key, ca } = input.payload;
      const client = Toolbelt.MTLSClient({ cert, key, ca });
      const ok = await client.get(url);
      let plain;
      try { await fetch(url); plain = 'answered'; } catch (e) { plain = e.cause.code; }
      let untrusted;
      try { await Toolbelt.MTLSClient({ cert, key }).get(url); } catch (e) { untrusted = e.code; }
      const selfSigned = await Toolbelt.MTLSClient({ cert, key }).get(url, {}, undefined, { allowSelfSigned: true });
      let noUrl;
      try { await client.post(); } catch (e) { noUrl = e.code; }
      return {
        status: ok.statusCode, namesClient: ok.body.includes('Subject: CN=parley-client'), plain, untrusted,
        selfSigned: selfSigned.statusCode, noUrl,
        missing: codeOf(() => Toolbelt.MTLSClient({ cert })),
        badCert: codeOf(() => Toolbelt.MTLSClient({ cert: 'nope', key })),
        badKey: codeOf(() => Toolbelt.MTLSClient({ cert, key: 'nope' })),
      };
    }
  )js");
  HttpResult r = f.invoke("mtls", {{"url", mtls.url()},
                                   {"cert", mtls.pem("cli.pem")},
                                   {"key", mtls.pem("cli.key")},
                                   {"ca", mtls.pem("ca.pem")}});
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.json();
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["namesClient"], true) << "the server saw the client certificate";
  EXPECT_NE(j["plain"], "answered") << "the server demands a client certificate";
  EXPECT_EQ(j["untrusted"], "com.liveperson.faas.mtls.general-issue")
      << "without the CA the server's certificate is not trusted";
  EXPECT_EQ(j["selfSigned"], 200);
  EXPECT_EQ(j["noUrl"], "com.liveperson.faas.mtls.invalid-request");
  EXPECT_EQ(j["missing"], "com.liveperson.faas.mtls.missing-conf");
  EXPECT_EQ(j["badCert"], "com.liveperson.faas.mtls.invalid-cert");
  EXPECT_EQ(j["badKey"], "com.liveperson.faas.mtls.invalid-key");
}

}  // namespace
}  // namespace parley::testing
