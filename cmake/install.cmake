# Installation and packaging (included from the top CMakeLists.txt after all targets).
#
#   cmake --install BUILD [--prefix DIR]   bin/loadlint, the man page, bash/zsh/fish
#                                          completions, README.md, LICENSE, the rule pages
#                                          (zsh's: share/zsh/vendor-completions for the
#                                          prefix /usr, else share/zsh/site-functions)
#   cd BUILD && cpack -G DEB               BUILD/dist/loadlint_<version>_<arch>.deb
#   cmake --build BUILD --target wheel     BUILD/dist/loadlint-<version>-py3-none-<tag>.whl
#
# The man page and the completions are generated at build time from `loadlint --help`
# (packaging/gen_from_help.py): the help text is their one source.
#
# LOADLINT_STATIC_DEPS=ON links the Debian static archives (.a) of the libraries into
# the binary instead of their shared objects, for a wheel that runs on other Linux
# systems. A library without a static archive (Debian 12's libcjson-dev ships none)
# stays shared; the binary then looks for it in $ORIGIN/../lib/loadlint first, where
# the wheel puts a copy (packaging/wheel/build_wheel.py), and then in the system's
# directories.
include(GNUInstallDirs)

if(LOADLINT_FUZZ)
  return() # a fuzzing build is not installed
endif()

option(LOADLINT_DOCS "Generate the man page and shell completions from loadlint --help (needs python3)" ON)
option(LOADLINT_STATIC_DEPS "Link the libraries' static archives into loadlint (a portable wheel)" OFF)

# ------------------------------------------------------------------ static linking
set(LL_STATIC_ARCHIVES "")  # .a files linked instead of shared libraries
set(LL_SHARED_LEFT "")      # libraries without a static archive (stay shared)
if(LOADLINT_STATIC_DEPS)
  # a shared library path -> its static archive next to it, when there is one
  function(ll_static_of lib out)
    set(${out} "${lib}" PARENT_SCOPE)
    if(lib MATCHES "^(/.*/lib[^/]+)\\.so(\\.[0-9.]+)?$")
      set(a "${CMAKE_MATCH_1}.a")
      if(EXISTS "${a}")
        set(${out} "${a}" PARENT_SCOPE)
        set_property(GLOBAL APPEND PROPERTY LL_STATIC_ARCHIVES "${a}")
      else()
        set_property(GLOBAL APPEND PROPERTY LL_SHARED_LEFT "${lib}")
      endif()
    endif()
  endfunction()
  # the pkg-config imported targets and plain library paths loadlint_core links
  get_target_property(_ll_core_libs loadlint_core INTERFACE_LINK_LIBRARIES)
  set(_ll_core_new "")
  foreach(item IN LISTS _ll_core_libs)
    if(item MATCHES "^PkgConfig::(.+)$" AND TARGET "${item}")
      set(prefix ${CMAKE_MATCH_1})
      get_target_property(ilibs ${item} INTERFACE_LINK_LIBRARIES)
      set(new "")
      foreach(l IN LISTS ilibs)
        ll_static_of("${l}" s)
        list(APPEND new "${s}")
      endforeach()
      # what a static link of this library also needs (pkg-config --static)
      # (glibc's own libraries stay shared: a static glibc is not portable)
      foreach(name IN LISTS ${prefix}_STATIC_LIBRARIES)
        if(NOT "${name}" IN_LIST ${prefix}_LIBRARIES AND
           NOT name MATCHES "^(c|m|dl|rt|pthread|resolv|util|nsl)$")
          find_library(_ll_extra_${name} NAMES lib${name}.a ${name}
                       HINTS ${${prefix}_STATIC_LIBRARY_DIRS})
          if(_ll_extra_${name})
            list(APPEND new "${_ll_extra_${name}}")
          endif()
        endif()
      endforeach()
      set_target_properties(${item} PROPERTIES INTERFACE_LINK_LIBRARIES "${new}")
      list(APPEND _ll_core_new "${item}")
    elseif(item MATCHES "^/")
      ll_static_of("${item}" s)
      list(APPEND _ll_core_new "${s}")
    else()
      list(APPEND _ll_core_new "${item}")
    endif()
  endforeach()
  set_target_properties(loadlint_core PROPERTIES INTERFACE_LINK_LIBRARIES "${_ll_core_new}")
  get_target_property(_ll_core_libs loadlint_core LINK_LIBRARIES)
  set(_ll_core_new "")
  foreach(item IN LISTS _ll_core_libs)
    if(item MATCHES "^/")
      ll_static_of("${item}" s)
      list(APPEND _ll_core_new "${s}")
    else()
      list(APPEND _ll_core_new "${item}")
    endif()
  endforeach()
  set_target_properties(loadlint_core PROPERTIES LINK_LIBRARIES "${_ll_core_new}")
  get_property(LL_STATIC_ARCHIVES GLOBAL PROPERTY LL_STATIC_ARCHIVES)
  get_property(LL_SHARED_LEFT GLOBAL PROPERTY LL_SHARED_LEFT)
  list(REMOVE_DUPLICATES LL_STATIC_ARCHIVES)
  if(LL_SHARED_LEFT)
    list(REMOVE_DUPLICATES LL_SHARED_LEFT)
  endif()
  message(STATUS "loadlint: static archives linked: ${LL_STATIC_ARCHIVES}")
  if(LL_SHARED_LEFT)
    message(STATUS "loadlint: no static archive, kept shared (bundled into the wheel): ${LL_SHARED_LEFT}")
    # the wheel's copy first, then the system's
    # (exactly this one entry: CMake's build-tree RPATH would add an empty one, which
    # the loader reads as the working directory)
    set_target_properties(loadlint PROPERTIES
      BUILD_WITH_INSTALL_RPATH ON INSTALL_RPATH "\$ORIGIN/../lib/loadlint")
  endif()
endif()

# ------------------------------------------------------------------ generated docs
set(LL_PKG_OUT ${CMAKE_BINARY_DIR}/packaging)
if(LOADLINT_DOCS)
  find_package(Python3 COMPONENTS Interpreter)
  if(NOT Python3_Interpreter_FOUND)
    message(FATAL_ERROR "The man page and shell completions are generated with python3: "
      "apt-get install python3 (scripts/setup.sh does), or configure with -DLOADLINT_DOCS=OFF")
  endif()
  set(LL_GEN ${CMAKE_SOURCE_DIR}/packaging/gen_from_help.py)
  set(LL_DOC_OUTPUTS ${LL_PKG_OUT}/loadlint.1 ${LL_PKG_OUT}/completions/loadlint.bash
      ${LL_PKG_OUT}/completions/_loadlint ${LL_PKG_OUT}/completions/loadlint.fish)
  add_custom_command(
    OUTPUT ${LL_DOC_OUTPUTS}
    COMMAND Python3::Interpreter ${LL_GEN} --binary $<TARGET_FILE:loadlint>
            --man ${LL_PKG_OUT}/loadlint.1
            --bash ${LL_PKG_OUT}/completions/loadlint.bash
            --zsh ${LL_PKG_OUT}/completions/_loadlint
            --fish ${LL_PKG_OUT}/completions/loadlint.fish
    DEPENDS loadlint ${LL_GEN}
    COMMENT "Generating the man page and shell completions from loadlint --help"
    VERBATIM)
  add_custom_target(loadlint-docs ALL DEPENDS ${LL_DOC_OUTPUTS})

  install(FILES ${LL_PKG_OUT}/loadlint.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${LL_PKG_OUT}/completions/loadlint.bash
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions RENAME loadlint)
  # zsh: Debian's zsh looks in /usr/share/zsh/vendor-completions (packages) and in
  # /usr/local/share/zsh/site-functions (local installs), so the directory follows the
  # prefix at install time (cpack installs with the prefix /usr).
  install(CODE "
    if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
      set(_ll_zsh_dir vendor-completions)
    else()
      set(_ll_zsh_dir site-functions)
    endif()
    file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATAROOTDIR}/zsh/\${_ll_zsh_dir}\"
         TYPE FILE FILES \"${LL_PKG_OUT}/completions/_loadlint\")")
  install(FILES ${LL_PKG_OUT}/completions/loadlint.fish
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d)
endif()

# ------------------------------------------------------------------ install rules
install(TARGETS loadlint RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/LICENSE
        ${CMAKE_SOURCE_DIR}/packaging/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/rules/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules
        FILES_MATCHING PATTERN "*.md")
# The grammars compiled into the binary are MIT-licensed: their notices go along
# (grammars/fetch.sh unpacks each package's LICENSE next to its src/).
foreach(g tree-sitter-python tree-sitter-toml)
  install(FILES ${CMAKE_BINARY_DIR}/grammars/${g}/LICENSE
          DESTINATION ${CMAKE_INSTALL_DOCDIR}/third-party RENAME ${g}.LICENSE)
endforeach()

# ------------------------------------------------------------------ wheel
if(LOADLINT_DOCS)
  set(LL_WHEEL_EXTRA --man ${LL_PKG_OUT}/loadlint.1
      --bash-completion ${LL_PKG_OUT}/completions/loadlint.bash
      --zsh-completion ${LL_PKG_OUT}/completions/_loadlint
      --fish-completion ${LL_PKG_OUT}/completions/loadlint.fish)
  set(LL_WHEEL_DEPS loadlint-docs)
else()
  find_package(Python3 COMPONENTS Interpreter)
  set(LL_WHEEL_EXTRA "")
  set(LL_WHEEL_DEPS "")
endif()
if(Python3_Interpreter_FOUND)
  set(LL_WHEEL_STATIC "")
  foreach(a IN LISTS LL_STATIC_ARCHIVES)
    list(APPEND LL_WHEEL_STATIC --static-archive ${a})
  endforeach()
  set(LL_WHEEL_STRIP "")
  if(CMAKE_STRIP)
    set(LL_WHEEL_STRIP --strip ${CMAKE_STRIP})
  endif()
  if(CMAKE_READELF)
    list(APPEND LL_WHEEL_STRIP --readelf ${CMAKE_READELF})
  endif()
  add_custom_target(wheel
    COMMAND Python3::Interpreter ${CMAKE_SOURCE_DIR}/packaging/wheel/build_wheel.py
            --binary $<TARGET_FILE:loadlint> --version ${PROJECT_VERSION}
            --out-dir ${CMAKE_BINARY_DIR}/dist
            --readme ${CMAKE_SOURCE_DIR}/README.md --license ${CMAKE_SOURCE_DIR}/LICENSE
            --third-party ${CMAKE_BINARY_DIR}/grammars/tree-sitter-python/LICENSE
            --third-party ${CMAKE_BINARY_DIR}/grammars/tree-sitter-toml/LICENSE
            ${LL_WHEEL_STATIC} ${LL_WHEEL_STRIP} ${LL_WHEEL_EXTRA}
    DEPENDS loadlint ${LL_WHEEL_DEPS}
    COMMENT "Building the wheel into ${CMAKE_BINARY_DIR}/dist"
    VERBATIM)
endif()

# ------------------------------------------------------------------ Debian package
set(CPACK_PACKAGE_NAME loadlint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "loadlint authors")
set(CPACK_PACKAGE_CONTACT "loadlint authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "linter for unsafe deserialization and ML-model loading in Python")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/dist)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_NAME loadlint)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "loadlint authors")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # Depends from dpkg-shlibdeps (dpkg-dev)
# The extended description (CPack puts the summary above it and indents it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "loadlint finds the Python code that turns loading a model or data file into
running the attacker's code: pickle.load, torch.load without weights_only=True,
yaml.load with an unsafe loader, numpy.load(allow_pickle=True), joblib, dill,
Keras load_model, trust_remote_code=True and more. It never imports or runs
the code it scans. Reports as text, JSON or SARIF; works with pre-commit and
editors.")
include(CPack)
