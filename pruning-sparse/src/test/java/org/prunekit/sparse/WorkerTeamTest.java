package org.prunekit.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerTeamTest {

  @Test
  void everyTaskRunsExactlyOnceOverManyJobs() {
    try (WorkerTeam team = new WorkerTeam(3, 50)) {
      for (int job = 0; job < 2000; job++) {
        int tasks = 1 + job % 17;
        AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
        team.run(tasks, hits::incrementAndGet);
        for (int i = 0; i < tasks; i++) {
          assertEquals(1, hits.get(i), "job " + job + " task " + i);
        }
      }
    }
  }

  @Test
  void workersParkAfterSpinningAndWakeForTheNextJob() throws InterruptedException {
    try (WorkerTeam team = new WorkerTeam(2, 0)) {
      for (int job = 0; job < 20; job++) {
        Thread.sleep(2); // the worker has parked by now
        int[] out = new int[8];
        team.run(8, i -> out[i] = i * i);
        assertArrayEquals(new int[] {0, 1, 4, 9, 16, 25, 36, 49}, out);
      }
    }
  }

  @Test
  void theFirstExceptionIsRethrownAfterTheOtherTasksEnd() {
    try (WorkerTeam team = new WorkerTeam(2)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> team.run(16, i -> {
            if (i == 5) {
              throw new IllegalArgumentException("task 5 failed");
            }
          }));
      assertEquals("task 5 failed", e.getMessage());
      AtomicIntegerArray hits = new AtomicIntegerArray(4);
      team.run(4, hits::incrementAndGet); // still usable
      assertEquals(4, hits.get(0) + hits.get(1) + hits.get(2) + hits.get(3));
    }
  }

  @Test
  void concurrentCallersBothGetCompleteResults() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try (WorkerTeam team = new WorkerTeam(2)) {
      CountDownLatch start = new CountDownLatch(1);
      Future<?>[] f = new Future<?>[3];
      for (int c = 0; c < 3; c++) {
        int id = c;
        f[c] = callers.submit(() -> {
          start.await();
          for (int job = 0; job < 300; job++) {
            long[] out = new long[10];
            team.run(10, i -> out[i] = (long) id * 1000 + i);
            for (int i = 0; i < 10; i++) {
              assertEquals((long) id * 1000 + i, out[i]);
            }
          }
          return null;
        });
      }
      start.countDown();
      for (Future<?> x : f) {
        x.get();
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void closeStopsTheWorkersAndRefusesNewJobs() throws InterruptedException {
    WorkerTeam team = new WorkerTeam(3);
    team.run(4, i -> { });
    team.close();
    team.close();
    assertFalse(team.anyWorkerAlive(), "workers still alive after close()");
    assertThrows(IllegalStateException.class, () -> team.run(1, i -> { }));
  }

  @Test
  void repeatedLayerBuildAndCloseCyclesLeaveNoThreads() {
    long before = liveWorkers();
    float[] w = {1, 0, 2, 0, 0, 3};
    for (int i = 0; i < 50; i++) {
      try (SparseLinear l = SparseLinear.builder()
          .setWeight(SparseFixtures.weight(w, null, 2, 3)).optThreads(3).build()) {
        float[] y = new float[2];
        l.forward(new float[] {1, 1, 1}, 1, y);
        assertArrayEquals(new float[] {3, 3}, y);
      }
    }
    assertEquals(before, liveWorkers(), "worker threads left after 50 build/close cycles");
  }

  private static long liveWorkers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("prunekit-sparse-") && t.isAlive()).count();
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new WorkerTeam(0));
    assertThrows(IllegalArgumentException.class, () -> new WorkerTeam(2, -1));
  }
}
