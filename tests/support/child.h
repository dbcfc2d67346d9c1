// Test support shared by the unit-test binaries: run a piece of a test in a child process.
#pragma once
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace xy::testsupport {

// Runs `fn` in a child process and returns its exit code, or 128 + signal when it was killed.
// Lets a test observe a crash (stack overflow, abort) without taking the test binary down.
inline int in_child(const std::function<int()>& fn) {
  pid_t pid = fork();
  if (pid == 0) {
    // Catch's handlers would report the crash as the parent's; let the child die plainly.
    for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGALRM}) signal(sig, SIG_DFL);
    _exit(fn());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace xy::testsupport
