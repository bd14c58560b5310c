// Each test starts several real processes; on a small machine running them one at a time keeps
// start-up well inside the timeouts (correctness does not depend on it).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
