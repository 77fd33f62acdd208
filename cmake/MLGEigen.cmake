# mlg_use_eigen(<target>...): lets targets use Eigen, all with the same code
# generation flags. Eigen's templates are instantiated in every object that
# uses them and the linker keeps one copy; objects built for different vector
# units would disagree on alignment and crash, so every Eigen user gets the
# same -march.
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
include(CheckCXXCompilerFlag)
check_cxx_compiler_flag(-march=native MLG_HAVE_MARCH_NATIVE)

function(mlg_use_eigen)
  # SYSTEM so that Eigen's own warnings do not trip -Werror.
  get_target_property(include_dirs Eigen3::Eigen INTERFACE_INCLUDE_DIRECTORIES)
  foreach(target ${ARGN})
    if(TARGET ${target})
      target_include_directories(${target} SYSTEM PRIVATE ${include_dirs})
      if(MLG_NATIVE_NUMERICS AND MLG_HAVE_MARCH_NATIVE)
        target_compile_options(${target} PRIVATE -march=native)
      endif()
    endif()
  endforeach()
endfunction()
