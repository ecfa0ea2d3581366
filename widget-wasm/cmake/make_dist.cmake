# Assembles the widget's dist directory (cmake -P, see ../CMakeLists.txt):
#   widget.<hash>.js / .wasm / .css  the glue, the module and the panel's stylesheet under
#                                    content-hashed names (first 10 hex digits of SHA-256), served
#                                    as immutable;
#   launcher.<hash>.css              the launcher's stylesheet, the one file fetched up front;
#   vitrina.js                       the loader, with those names baked in;
#   X.gz, X.br                       precompressed siblings of every file (gzip -9 -n, brotli -q 11).
# The loader and the glue ship minified (minify.mjs, run by NODE), the module after one more
# wasm-opt -Oz --converge (WASM_OPT): emcc's own -Oz stops after one round.
# Only files whose content changed are written, so an unchanged build leaves every mtime (and
# so every ETag a server derives from them) alone. Hashed files of earlier builds are removed.
cmake_minimum_required(VERSION 3.25)
foreach(var GLUE WASM CSS LAUNCHER_CSS LOADER OUT GZIP BROTLI NODE WASM_OPT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "make_dist.cmake: -D${var}=... is required")
  endif()
endforeach()
file(MAKE_DIRECTORY ${OUT})

set(written "")  # files (re)written in this run, whose compressed siblings must be redone
set(current "")  # every file that belongs in dist now

# What ships carries no comments or indentation: they are for readers of the sources, and
# cost the visitor bytes. `/* … */` blocks, whole-line `//` comments and `  // …` tails go
# (the sources keep two spaces before a trailing comment; no string in them contains that).
function(strip_comments var)
  set(text "${${var}}")
  string(REGEX REPLACE "/\\*[^*]*\\*+([^/*][^*]*\\*+)*/" "" text "${text}")
  string(REGEX REPLACE "\n[ \t]*//[^\n]*" "" text "${text}")
  string(REGEX REPLACE "  // [^\n]*" "" text "${text}")
  string(REGEX REPLACE "\n[ \t]+" "\n" text "${text}")
  string(REGEX REPLACE "\n\n+" "\n" text "${text}")
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

# Writes `src` without comments to `dst`, only if that changes `dst`.
function(write_stripped src dst)
  file(READ ${src} text)
  strip_comments(text)
  set(old "")
  if(EXISTS ${dst})
    file(READ ${dst} old)
  endif()
  if(NOT old STREQUAL text)
    file(WRITE ${dst} "${text}")
  endif()
endfunction()

# Copies `src` to OUT/<prefix>.<hash>.<ext> and sets `out_var` to that name.
function(place_hashed src prefix ext out_var)
  file(SHA256 ${src} hash)
  string(SUBSTRING ${hash} 0 10 short)
  set(name ${prefix}.${short}.${ext})
  # The name is the content: if it exists and is whole, it is already right.
  if(NOT EXISTS ${OUT}/${name})
    file(COPY_FILE ${src} ${OUT}/${name}.tmp)
    file(CHMOD ${OUT}/${name}.tmp PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    file(RENAME ${OUT}/${name}.tmp ${OUT}/${name})
    set(written ${written} ${name} PARENT_SCOPE)
  endif()
  set(${out_var} ${name} PARENT_SCOPE)
endfunction()

# Runs `command...`, failing the build with `what` if it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc ERROR_VARIABLE error)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed: ${error}")
  endif()
endfunction()

set(minify ${NODE} ${CMAKE_CURRENT_LIST_DIR}/minify.mjs)
file(MAKE_DIRECTORY ${OUT}/../stripped)
run("minifying the glue" ${minify} ${GLUE} ${OUT}/../stripped/widget.js)
run("wasm-opt" ${WASM_OPT} -Oz --converge ${WASM} -o ${OUT}/../stripped/widget.wasm)
place_hashed(${OUT}/../stripped/widget.js widget js glue_name)
place_hashed(${OUT}/../stripped/widget.wasm widget wasm wasm_name)
write_stripped(${CSS} ${OUT}/../stripped/widget.css)
write_stripped(${LAUNCHER_CSS} ${OUT}/../stripped/launcher.css)
place_hashed(${OUT}/../stripped/widget.css widget css css_name)
place_hashed(${OUT}/../stripped/launcher.css launcher css launcher_css_name)

file(READ ${LOADER} loader)
string(REPLACE "@VITRINA_GLUE@" ${glue_name} loader "${loader}")
string(REPLACE "@VITRINA_WASM@" ${wasm_name} loader "${loader}")
string(REPLACE "@VITRINA_CSS@" ${css_name} loader "${loader}")
string(REPLACE "@VITRINA_LAUNCHER_CSS@" ${launcher_css_name} loader "${loader}")
file(WRITE ${OUT}/../stripped/vitrina.in.js "${loader}")
run("minifying the loader" ${minify} ${OUT}/../stripped/vitrina.in.js ${OUT}/../stripped/vitrina.js)
file(READ ${OUT}/../stripped/vitrina.js loader)
string(PREPEND loader "/* Vitrina widget loader; its commented sources are widget-wasm/js in the Vitrina repository. */\n")
set(old_loader "")
if(EXISTS ${OUT}/vitrina.js)
  file(READ ${OUT}/vitrina.js old_loader)
endif()
if(NOT old_loader STREQUAL loader)
  file(WRITE ${OUT}/vitrina.js.tmp "${loader}")
  file(RENAME ${OUT}/vitrina.js.tmp ${OUT}/vitrina.js)
  list(APPEND written vitrina.js)
endif()

foreach(name vitrina.js ${glue_name} ${wasm_name} ${css_name} ${launcher_css_name})
  list(APPEND current ${name} ${name}.gz ${name}.br)
  list(FIND written ${name} changed)
  if(changed EQUAL -1 AND EXISTS ${OUT}/${name}.gz AND EXISTS ${OUT}/${name}.br)
    continue()
  endif()
  # -n: no name or timestamp in the header, so the same input gives the same bytes.
  execute_process(COMMAND ${GZIP} -9 -n -c ${OUT}/${name} OUTPUT_FILE ${OUT}/${name}.gz.tmp
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip failed on ${name}")
  endif()
  execute_process(COMMAND ${BROTLI} -q 11 -f -o ${OUT}/${name}.br.tmp ${OUT}/${name}
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "brotli failed on ${name}")
  endif()
  file(CHMOD ${OUT}/${name}.gz.tmp ${OUT}/${name}.br.tmp
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  file(RENAME ${OUT}/${name}.gz.tmp ${OUT}/${name}.gz)
  file(RENAME ${OUT}/${name}.br.tmp ${OUT}/${name}.br)
  message(STATUS "widget/dist: ${name}")
endforeach()

file(GLOB existing RELATIVE ${OUT} ${OUT}/*)
foreach(name ${existing})
  list(FIND current ${name} keep)
  if(keep EQUAL -1)
    file(REMOVE ${OUT}/${name})
  endif()
endforeach()
