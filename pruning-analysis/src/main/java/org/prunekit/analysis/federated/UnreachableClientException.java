package org.prunekit.analysis.federated;

/** A flow's source cannot reach its destination: the communication graph is disconnected. */
public final class UnreachableClientException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String client;

  /** An exception for {@code client} that cannot reach {@code destination}. */
  public UnreachableClientException(String client, String destination) {
    super("client '" + client + "' cannot reach '" + destination + "': the communication graph is disconnected");
    this.client = client;
  }

  /** The client that cannot reach its destination. */
  public String client() {
    return client;
  }
}
