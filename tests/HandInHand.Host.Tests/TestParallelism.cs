// Most of these tests wait on real time (durable timers, orchestration steps, a browser), not on a
// core: four test classes at once keep both cores busy where two left them waiting.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
