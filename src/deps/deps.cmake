# The dependency-version facts (src/deps/*.c) are part of loadlint_core:
# PEP 440 versions and version sets, the dependency-file readers, package
# aliases, and per-directory resolution. environment.yml files are read
# with libyaml (Debian libyaml-dev, pkg-config yaml-0.1).
file(GLOB LL_DEPS_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/deps/*.c)
target_sources(loadlint_core PRIVATE ${LL_DEPS_SOURCES})
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
target_link_libraries(loadlint_core PUBLIC PkgConfig::YAML)
# rules/data/packages.json embedded as text (packages.h: ll_packages_add_builtin).
set(LL_PACKAGES_JSON ${CMAKE_SOURCE_DIR}/rules/data/packages.json)
set(LL_PACKAGES_C ${CMAKE_BINARY_DIR}/generated/deps_packages.c)
add_custom_command(
  OUTPUT ${LL_PACKAGES_C}
  COMMAND ${CMAKE_COMMAND} -DIN=${LL_PACKAGES_JSON} -DOUT=${LL_PACKAGES_C} -DSYMBOL=ll_deps_packages_text
          -P ${CMAKE_SOURCE_DIR}/src/deps/embed.cmake
  DEPENDS ${LL_PACKAGES_JSON} ${CMAKE_SOURCE_DIR}/src/deps/embed.cmake
  COMMENT "Embedding rules/data/packages.json"
  VERBATIM)
target_sources(loadlint_core PRIVATE ${LL_PACKAGES_C})
