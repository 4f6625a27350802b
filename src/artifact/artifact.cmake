# The model-artifact readers (src/artifact/*.c) are part of loadlint_core.
# Compressed members and files: zlib (deflate, gzip, zlib), liblzma (xz,
# lzma), libbz2; all from Debian (zlib1g-dev, liblzma-dev, libbz2-dev).
# (LOADLINT_SKIP_ARTIFACTS: build without them, while they are being written)
if(LOADLINT_SKIP_ARTIFACTS)
  target_sources(loadlint_core PRIVATE ${CMAKE_SOURCE_DIR}/src/engine/analyzer_none.c)
  return()
endif()
file(GLOB LL_ARTIFACT_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/artifact/*.c)
target_sources(loadlint_core PRIVATE ${LL_ARTIFACT_SOURCES})
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
pkg_check_modules(LZMA REQUIRED IMPORTED_TARGET liblzma)
find_library(BZ2_LIBRARY NAMES bz2 REQUIRED)
find_path(BZ2_INCLUDE_DIR NAMES bzlib.h REQUIRED)
target_include_directories(loadlint_core PRIVATE ${BZ2_INCLUDE_DIR})
target_link_libraries(loadlint_core PUBLIC PkgConfig::ZLIB PkgConfig::LZMA ${BZ2_LIBRARY})
# The Keras reader's policy (rules/data/keras-policy.json) embedded as text
# (keras.h: ll_art_keras_policy_builtin).
set(LL_KERAS_POLICY_JSON ${CMAKE_SOURCE_DIR}/rules/data/keras-policy.json)
set(LL_KERAS_POLICY_C ${CMAKE_BINARY_DIR}/generated/keras_policy.c)
add_custom_command(
  OUTPUT ${LL_KERAS_POLICY_C}
  COMMAND ${CMAKE_COMMAND} -DIN=${LL_KERAS_POLICY_JSON} -DOUT=${LL_KERAS_POLICY_C}
          -P ${CMAKE_SOURCE_DIR}/src/artifact/keras_embed.cmake
  DEPENDS ${LL_KERAS_POLICY_JSON} ${CMAKE_SOURCE_DIR}/src/artifact/keras_embed.cmake
  COMMENT "Embedding rules/data/keras-policy.json"
  VERBATIM)
target_sources(loadlint_core PRIVATE ${LL_KERAS_POLICY_C})
# loadlint-artifact-scan: scans model files given on the command line and
# prints the readers' findings (tests, bench/artifacts.sh).
add_executable(loadlint-artifact-scan ${CMAKE_SOURCE_DIR}/tools/artifact_scan.c)
target_compile_options(loadlint-artifact-scan PRIVATE ${LL_WARNINGS})
target_compile_definitions(loadlint-artifact-scan PRIVATE
  LL_ART_DEFAULT_POLICY="${CMAKE_SOURCE_DIR}/rules/data/pickle-policy.json")
target_link_libraries(loadlint-artifact-scan PRIVATE loadlint_core)
