/** Runnable programs: the Fashion-MNIST demo (the main job), the quick start, and their training helpers. */
package org.prunekit.examples;
