# Optional instrumented builds (docs/testing.md). Included by the top CMakeLists.txt
# before any target is defined, so the flags reach every target (libraries, tools, tests).
#
#   INTEGRA_SANITIZE=ON  AddressSanitizer + UndefinedBehaviorSanitizer, any error aborts
#                        (-fno-sanitize-recover=all). GCC or Clang.
#   INTEGRA_FUZZ=ON      libFuzzer targets in tests/fuzz (needs clang++; implies the
#                        sanitizer flags, which libFuzzer targets are built with anyway).
if(INTEGRA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "INTEGRA_FUZZ=ON needs clang++ (libFuzzer): configure a separate build dir with "
                        "-DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_C_COMPILER=clang-16 (Debian: clang-16, libclang-rt-16-dev)")
  endif()
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
    message(FATAL_ERROR "INTEGRA_FUZZ=ON needs clang 16 or later (clang ${CMAKE_CXX_COMPILER_VERSION} cannot capture "
                        "structured bindings in lambdas, which Integra's C++20 uses): use clang-16")
  endif()
  set(INTEGRA_SANITIZE ON CACHE BOOL "Build with AddressSanitizer and UndefinedBehaviorSanitizer" FORCE)
  # Coverage feedback for libFuzzer in every target; only the fuzz targets link its main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(INTEGRA_SANITIZE)
  set(INTEGRA_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${INTEGRA_SANITIZER_FLAGS})
  add_link_options(${INTEGRA_SANITIZER_FLAGS})
  message(STATUS "Integra: sanitizers on (${INTEGRA_SANITIZER_FLAGS})")
endif()
