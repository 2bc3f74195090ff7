package io.indicativegateway.config;

import java.util.List;

/**
 * The clustered event bus, so JVM producers in other processes can send to the ingest address.
 *
 * @param host the address other members reach this one on (the pod IP on Kubernetes)
 * @param port Hazelcast's membership port
 * @param eventBusPort the event bus's own port (0: any free one)
 * @param members TCP-IP join: other members as host:port (empty: use {@code dns})
 * @param dns Kubernetes DNS discovery: the headless service's name (empty: use {@code members})
 */
public record ClusterSettings(boolean enabled, String host, int port, int eventBusPort, List<String> members,
                              String dns, boolean bridgeEnabled, String bridgeHost, int bridgePort) {}
