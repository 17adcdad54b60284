// Global teardown for mutation runs: nothing. A mutation that breaks a suite at load time skips that
// suite's cleanup, and the project's teardown would then fail the run before jest writes its report. The
// run's temporary files live inside the mutation workspace (TMPDIR), which the runner removes.
module.exports = () => {};
