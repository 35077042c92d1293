/** Data sets for evaluation and calibration: IDX image/label files (MNIST, Fashion-MNIST). */
package org.prunekit.core.data;
