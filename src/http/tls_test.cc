// The HTTP server over TLS, with a self-signed certificate made here with OpenSSL's API.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>

#include "http/server.h"
#include "http/test_client.h"

namespace parley::http {
namespace {

using test::TestClient;
using namespace std::chrono_literals;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parley_http_tls_XXXXXX").string();
    if (mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  bool ok() const { return !path_.empty(); }

 private:
  std::filesystem::path path_;
};

// A P-256 key and a certificate for localhost / 127.0.0.1 signed with it, as PEM files.
bool writeSelfSigned(const std::string& certPath, const std::string& keyPath) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  bool ok = key && cert;
  if (ok) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    ok = san && X509_add_ext(cert, san, -1) == 1;
    X509_EXTENSION_free(san);
    ok = ok && X509_sign(cert, key, EVP_sha256()) > 0;
  }
  if (ok) {
    FILE* f = std::fopen(certPath.c_str(), "w");
    ok = f && PEM_write_X509(f, cert) == 1;
    if (f) std::fclose(f);
    f = std::fopen(keyPath.c_str(), "w");
    ok = ok && f && PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (f) std::fclose(f);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    cert_ = dir_.file("cert.pem");
    key_ = dir_.file("key.pem");
    ASSERT_TRUE(writeSelfSigned(cert_, key_));
    // The client trusts exactly this certificate and checks it names 127.0.0.1.
    client_ = SSL_CTX_new(TLS_client_method());
    ASSERT_TRUE(client_);
    ASSERT_EQ(SSL_CTX_load_verify_locations(client_, cert_.c_str(), nullptr), 1);
    SSL_CTX_set_verify(client_, SSL_VERIFY_PEER, nullptr);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_CTX_get0_param(client_), "127.0.0.1");
    static const unsigned char kAlpn[] = "\x02h2\x08http/1.1";
    SSL_CTX_set_alpn_protos(client_, kAlpn, sizeof kAlpn - 1);
  }
  void TearDown() override { SSL_CTX_free(client_); }

  std::unique_ptr<Server> start(Handler handler) {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.tlsCertFile = cert_;
    options.tlsKeyFile = key_;
    auto started = Server::start(options, std::move(handler));
    if (!started.ok()) {
      ADD_FAILURE() << started.error().message();
      return nullptr;
    }
    return std::move(started).value();
  }

  TempDir dir_;
  std::string cert_;
  std::string key_;
  SSL_CTX* client_ = nullptr;
};

TEST_F(TlsTest, RoundTrip) {
  std::promise<bool> secure;
  auto server = start([&](Request& req, Respond respond) {
    if (req.path == "/first") secure.set_value(req.secure);
    respond(Response::text(200, "over tls " + req.path));
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port(), "127.0.0.1", client_);
  ASSERT_TRUE(client) << "TLS handshake failed";
  EXPECT_GE(SSL_version(client->ssl()), TLS1_2_VERSION);
  EXPECT_EQ(SSL_get_verify_result(client->ssl()), X509_V_OK);
  const unsigned char* alpn = nullptr;
  unsigned alpnLen = 0;
  SSL_get0_alpn_selected(client->ssl(), &alpn, &alpnLen);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(alpn), alpnLen), "http/1.1");

  for (const char* path : {"/first", "/second"}) {  // keep-alive over TLS
    ASSERT_TRUE(client->send(std::string("GET ") + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    auto r = client->read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, std::string("over tls ") + path);
  }
  EXPECT_TRUE(secure.get_future().get());
}

TEST_F(TlsTest, PipelinedAnswersFromAnotherThreadStayInOrder) {
  // Reads and writes overlap on the TLS stream here: the reader waits for more requests while
  // the writer sends responses.
  auto server = start([](Request& req, Respond respond) {
    auto delay = req.path == "/1" ? 100ms : 0ms;
    std::thread([respond, delay, path = req.path] {
      std::this_thread::sleep_for(delay);
      respond(Response::text(200, path));
    }).detach();
  });
  ASSERT_TRUE(server);
  auto client = TestClient::connect(server->port(), "127.0.0.1", client_);
  ASSERT_TRUE(client);
  std::string batch;
  for (int i = 1; i <= 3; ++i) {
    batch += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
  }
  ASSERT_TRUE(client->send(batch));
  for (const char* expected : {"/1", "/2", "/3"}) {
    auto r = client->read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, expected);
  }
}

TEST_F(TlsTest, RefusesTls11) {
  auto server = start([](Request&, Respond respond) { respond(Response::text(200, "no")); });
  ASSERT_TRUE(server);
  SSL_CTX* old = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(old, 0);  // let the client itself offer TLS 1.1
  SSL_CTX_set_min_proto_version(old, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(old, TLS1_1_VERSION);
  EXPECT_FALSE(TestClient::connect(server->port(), "127.0.0.1", old));
  SSL_CTX_free(old);
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortIsDropped) {
  auto server = start([](Request&, Respond respond) { respond(Response::text(200, "no")); });
  ASSERT_TRUE(server);
  auto plain = TestClient::connect(server->port());
  ASSERT_TRUE(plain);
  ASSERT_TRUE(plain->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(plain->waitClosed());
  // The server is unaffected.
  auto client = TestClient::connect(server->port(), "127.0.0.1", client_);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  EXPECT_TRUE(client->read());
}

}  // namespace
}  // namespace parley::http
