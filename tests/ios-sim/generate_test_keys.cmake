# Generates the SSH keys the test harness (poe_test::IosSimProcess) gives to
# every simulator, once per build tree: RSA generation takes about a second,
# too slow to repeat in every test process.
#   cmake -DKEYGEN=/usr/bin/ssh-keygen -DDIR=<output dir> -P generate_test_keys.cmake
file(MAKE_DIRECTORY "${DIR}")
foreach(key host_ed25519:ed25519 host_rsa:rsa user_ed25519:ed25519 user_rsa:rsa)
  string(REPLACE ":" ";" parts "${key}")
  list(GET parts 0 name)
  list(GET parts 1 type)
  file(REMOVE "${DIR}/${name}" "${DIR}/${name}.pub")
  set(bits)
  if(type STREQUAL "rsa")
    set(bits -b 2048)
  endif()
  execute_process(
    COMMAND "${KEYGEN}" -q -t ${type} ${bits} -N "" -C ios-sim-test -f "${DIR}/${name}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ssh-keygen -t ${type} failed: ${rc}")
  endif()
endforeach()
file(READ "${DIR}/user_ed25519.pub" ed25519)
file(READ "${DIR}/user_rsa.pub" rsa)
file(WRITE "${DIR}/authorized_keys" "${ed25519}${rsa}")
