# The model-artifact readers (src/artifact/*.c) are part of loadlint_core,
# with the model-file analyzer (src/artifact/analyzer.c: ll_analyzer_artifact)
# that puts them behind the file-kind interface of the scan.
# Compressed members and files: zlib (deflate, gzip, zlib), liblzma (xz,
# lzma), libbz2; all from Debian (zlib1g-dev, liblzma-dev, libbz2-dev).
# LOADLINT_SKIP_ARTIFACTS=ON builds without them: src/engine/analyzer_none.c
# then says no file is a model file.
if(LOADLINT_SKIP_ARTIFACTS)
  target_sources(loadlint_core PRIVATE ${CMAKE_SOURCE_DIR}/src/engine/analyzer_none.c
                                       ${CMAKE_SOURCE_DIR}/src/engine/join.c)
  return()
endif()
file(GLOB LL_ARTIFACT_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/artifact/*.c)
target_sources(loadlint_core PRIVATE ${LL_ARTIFACT_SOURCES} ${CMAKE_SOURCE_DIR}/src/engine/join.c)
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
pkg_check_modules(LZMA REQUIRED IMPORTED_TARGET liblzma)
find_library(BZ2_LIBRARY NAMES bz2 REQUIRED)
find_path(BZ2_INCLUDE_DIR NAMES bzlib.h REQUIRED)
target_include_directories(loadlint_core PRIVATE ${BZ2_INCLUDE_DIR})
target_link_libraries(loadlint_core PUBLIC PkgConfig::ZLIB PkgConfig::LZMA ${BZ2_LIBRARY})
# The policies (rules/data/*-policy.json) embedded as text: the Keras
# reader's (ll_art_keras_policy_builtin) and the pickle allow-list
# (ll_pickle_policy_add_builtin). A configuration's allowed-globals extend
# the pickle one per run (analyzer.c).
foreach(pol keras pickle)
  set(in ${CMAKE_SOURCE_DIR}/rules/data/${pol}-policy.json)
  set(out ${CMAKE_BINARY_DIR}/generated/${pol}_policy.c)
  if(pol STREQUAL "keras")
    set(sym ll_art_keras_policy_text)
  else()
    set(sym ll_art_pickle_policy_text)
  endif()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${in} -DOUT=${out} -DSYMBOL=${sym}
            -P ${CMAKE_SOURCE_DIR}/src/artifact/embed_text.cmake
    DEPENDS ${in} ${CMAKE_SOURCE_DIR}/src/artifact/embed_text.cmake
    COMMENT "Embedding rules/data/${pol}-policy.json"
    VERBATIM)
  target_sources(loadlint_core PRIVATE ${out})
endforeach()
# loadlint-artifact-scan: scans model files given on the command line and
# prints the readers' findings (tests, bench/artifacts.sh).
add_executable(loadlint-artifact-scan ${CMAKE_SOURCE_DIR}/tools/artifact_scan.c)
target_compile_options(loadlint-artifact-scan PRIVATE ${LL_WARNINGS})
target_link_libraries(loadlint-artifact-scan PRIVATE loadlint_core)
