/** The prunekit command line (picocli): demo, eval and prune verbs. */
package org.prunekit.cli;
