/** Execution of graphs on the DJL PyTorch engine (CPU, offline), hooks, calibration statistics and training. */
package org.prunekit.core.exec;
