# Third-party dependencies. All come from Debian's packages (scripts/bootstrap.sh installs them),
# except V8, which is unpacked from Debian's libnode108/libnode-dev into .deps/libnode.
find_package(Threads REQUIRED)
find_package(GTest REQUIRED)
include(GoogleTest)
find_package(benchmark REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(Boost 1.81 REQUIRED)  # Beast + Asio (header-only)
find_package(SQLite3 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(date CONFIG REQUIRED)  # howard-hinnant date + tz (system zoneinfo)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

set(PARLEY_LIBNODE_ROOT "${PROJECT_SOURCE_DIR}/.deps/libnode/usr" CACHE PATH
    "Root of the unpacked libnode108/libnode-dev packages")
file(GLOB _libnode_so "${PARLEY_LIBNODE_ROOT}/lib/*/libnode.so.108")
if(NOT _libnode_so)
  message(FATAL_ERROR "V8 not found under ${PARLEY_LIBNODE_ROOT}: run scripts/bootstrap.sh")
endif()
get_filename_component(_libnode_dir "${_libnode_so}" DIRECTORY)
add_library(parley_v8 SHARED IMPORTED GLOBAL)
# Headers must come from the same package as the library: /usr/include/node may hold another
# V8's headers (from the Node.js 20 package). No V8_* macros are defined on purpose: this V8 was
# built without pointer compression and sandbox, which is also the headers' default.
set_target_properties(parley_v8 PROPERTIES
  IMPORTED_LOCATION "${_libnode_so}"
  IMPORTED_NO_SONAME FALSE
  INTERFACE_INCLUDE_DIRECTORIES "${PARLEY_LIBNODE_ROOT}/include/node")
set(CMAKE_BUILD_RPATH "${_libnode_dir}")
set(CMAKE_INSTALL_RPATH "${_libnode_dir}")
