# Compile options shared by every Vitrina target: warnings, optional -Werror and sanitizers.
add_library(vitrina_compile_options INTERFACE)
target_compile_options(vitrina_compile_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough
  # Designated initializers that leave members at their defaults are intended.
  -Wno-missing-field-initializers
  # GCC 12 misreads Asio's recycling allocator for coroutine frames as a new/delete mismatch.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>)
if(VITRINA_WERROR)
  target_compile_options(vitrina_compile_options INTERFACE -Werror)
endif()
if(VITRINA_SANITIZE STREQUAL "thread")
  # TSan cannot be combined with ASan; run the server with --io-threads above 1 to find races.
  # GCC warns (-Wtsan) at every atomic_thread_fence TSan cannot model; Boost.Asio's handler
  # memory uses them, so the warning would fill the log (and fail a -Werror build).
  target_compile_options(vitrina_compile_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer
    $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
  target_link_options(vitrina_compile_options INTERFACE -fsanitize=thread)
elseif(VITRINA_SANITIZE)
  target_compile_options(vitrina_compile_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(vitrina_compile_options INTERFACE -fsanitize=address,undefined)
endif()

# vitrina_module(NAME SOURCES... [DEPS ...]) declares one static library per server module,
# named vitrina_<NAME>, with server/src as its include root.
function(vitrina_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(vitrina_${name} STATIC ${ARG_SOURCES})
  target_include_directories(vitrina_${name} PUBLIC ${PROJECT_SOURCE_DIR}/server/src)
  target_link_libraries(vitrina_${name} PUBLIC ${ARG_DEPS} PRIVATE $<BUILD_INTERFACE:vitrina_compile_options>)
endfunction()
