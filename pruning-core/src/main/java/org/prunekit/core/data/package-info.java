/**
 * Data sets for evaluation and calibration: IDX image/label files (MNIST, Fashion-MNIST) and
 * character-level text ({@link org.prunekit.core.data.CharVocab}, {@link
 * org.prunekit.core.data.CharCorpus}, {@link org.prunekit.core.data.TokenWindows}).
 */
package org.prunekit.core.data;
