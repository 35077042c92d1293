package org.prunekit.sparse;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads for the sparse kernels: the calling thread plus {@code threads - 1}
 * daemon workers that claim tasks from a shared counter.
 *
 * <p>Why not a {@link java.util.concurrent.ForkJoinPool}: a batch-1 sparse product of a
 * 4096x4096 layer at 90% sparsity takes about 0.3 ms, and the pool woke its threads too slowly for
 * that on the reference machine (two threads, 1,500 calls: median 725 µs through a
 * {@code ForkJoinPool} with 8 tasks against 324 µs with a spinning worker; docs/sparse.md). Like OpenMP runtimes (the active part of {@code OMP_WAIT_POLICY}), the workers here
 * keep spinning for a short time after a job ({@code spinMicros}, default 100 µs, system property
 * {@code prunekit.sparse.spinMicros}) and then park, so back-to-back layers find them awake while
 * an idle team costs no CPU. A caller waiting for the last task spins for the same time and then
 * parks too, so that on oversubscribed cores it does not hold a core the worker needs.
 *
 * <p>The caller takes part in every job, so a team of {@code n} uses {@code n} cores. Tasks are
 * claimed dynamically, so a core that is busy with another process slows the job down by its
 * share only. A team runs one job at a time: if another thread is using it, the caller runs its
 * whole job alone (the result is the same). {@link #close()} stops the workers.
 */
public final class WorkerTeam implements AutoCloseable {
  private static final long DEFAULT_SPIN_MICROS = Long.getLong("prunekit.sparse.spinMicros", 100L);
  /** Upper bound of one park of a waiting caller (it is normally unparked sooner). */
  private static final long PARK_NANOS = 200_000L;

  private final int threads;
  private final long spinNanos;
  private final Thread[] workers;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Job job;
  private volatile boolean closed;

  /**
   * A team of {@code threads} (the caller included) with the default spin time.
   *
   * @param threads 1 or more; 1 runs everything on the caller
   */
  public WorkerTeam(int threads) {
    this(threads, DEFAULT_SPIN_MICROS);
  }

  /**
   * A team of {@code threads} whose idle workers spin {@code spinMicros} before parking.
   *
   * @param threads 1 or more
   * @param spinMicros 0 or more
   */
  public WorkerTeam(int threads, long spinMicros) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (spinMicros < 0) {
      throw new IllegalArgumentException("spinMicros must be >= 0, got " + spinMicros);
    }
    this.threads = threads;
    this.spinNanos = TimeUnit.MICROSECONDS.toNanos(spinMicros);
    this.workers = new Thread[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      Thread t = new Thread(this::workerLoop, "prunekit-sparse-" + i);
      t.setDaemon(true);
      workers[i] = t;
      t.start();
    }
  }

  /** Threads taking part in a job, the caller included. */
  public int threads() {
    return threads;
  }

  /**
   * Runs {@code task.accept(i)} for every {@code i} in {@code [0, tasks)}, spread over the team,
   * and returns when all have finished. The first exception thrown by a task is rethrown here
   * (after every task has ended).
   *
   * @param tasks number of tasks, 0 or more
   * @param task the work for one index
   * @throws IllegalStateException if the team is closed
   */
  public void run(int tasks, IntConsumer task) {
    if (closed) {
      throw new IllegalStateException("WorkerTeam is closed");
    }
    if (tasks <= 0) {
      return;
    }
    if (workers.length == 0 || tasks == 1 || !lock.tryLock()) {
      for (int i = 0; i < tasks; i++) {
        task.accept(i);
      }
      return;
    }
    try {
      Job j = new Job(task, tasks);
      job = j;
      for (Thread w : workers) {
        LockSupport.unpark(w);
      }
      j.work();
      awaitOthers(j);
      job = null;
      j.task = null; // every index is claimed: no worker reads it again; do not retain the arrays
      if (j.error != null) {
        if (j.error instanceof RuntimeException re) {
          throw re;
        }
        if (j.error instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(j.error);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every task of {@code j} has ended: spins for {@code spinNanos}, then parks until the
   * worker that ends the last task unparks it. Parking matters when the cores are oversubscribed
   * (another engine's spinning thread pool in the same process, other processes): a spinning
   * caller would hold a core that the worker it waits for needs.
   */
  private void awaitOthers(Job j) {
    long until = System.nanoTime() + spinNanos;
    while (j.pending.get() > 0) {
      if (System.nanoTime() < until) {
        Thread.onSpinWait();
      } else {
        j.waiter = Thread.currentThread();
        if (j.pending.get() > 0) {
          LockSupport.parkNanos(this, PARK_NANOS);
        }
      }
    }
  }

  /** Stops the workers (waits briefly for them to leave). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    for (Thread w : workers) {
      try {
        w.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** For tests: whether a worker thread is still running. */
  boolean anyWorkerAlive() {
    for (Thread w : workers) {
      if (w.isAlive()) {
        return true;
      }
    }
    return false;
  }

  private void workerLoop() {
    Job seen = null;
    while (!closed) {
      Job j = job;
      if (j != null && j != seen) {
        seen = j;
        j.work();
        continue;
      }
      long until = System.nanoTime() + spinNanos;
      while (job == seen && !closed && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      if (job == seen && !closed) {
        LockSupport.park(this);
      }
    }
  }

  /** One call of {@link #run}: tasks are claimed from {@code next}; {@code pending} counts down. */
  private static final class Job {
    IntConsumer task;
    final int tasks;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger pending;
    volatile Throwable error;
    /** The caller, once it parks waiting for the last task; unparked by whoever ends that task. */
    volatile Thread waiter;

    Job(IntConsumer task, int tasks) {
      this.task = task;
      this.tasks = tasks;
      this.pending = new AtomicInteger(tasks);
    }

    void work() {
      for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
        try {
          if (error == null) {
            task.accept(i);
          }
        } catch (Throwable t) {
          if (error == null) {
            error = t;
          }
        } finally {
          if (pending.decrementAndGet() == 0) {
            Thread w = waiter;
            if (w != null) {
              LockSupport.unpark(w);
            }
          }
        }
      }
    }
  }
}
