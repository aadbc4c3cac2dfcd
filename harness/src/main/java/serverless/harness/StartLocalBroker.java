package serverless.harness;

import java.util.Map;
import java.util.stream.Collectors;
import serverless.harness.broker.LocalBroker;
import serverless.harness.broker.Quota;
import serverless.harness.broker.ReadOnlyTopics;

/**
 * A Serverless-like broker on this machine, for trying an example by hand:
 * {@code ./mvnw -q -pl harness compile exec:java} (optionally {@code -Dexec.args=<deployment host>}).
 * It starts a {@link LocalDeployment}, prints the variables to export, and runs until Ctrl-C, which stops
 * it and deletes its folder. {@link QuickStart} runs every example against the same kind of deployment.
 */
public final class StartLocalBroker {

    private StartLocalBroker() {
    }

    public static void main(String[] args) throws Exception {
        LocalDeployment.quietLogging();
        LocalDeployment deployment = LocalDeployment.start(args.length > 0 ? args[0] : LocalDeployment.HOST);
        String host = deployment.host();
        Map<String, String> variables = deployment.endpoint().variables();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the local broker...");
            deployment.close();
        }, "local-broker-shutdown"));

        System.out.printf("Serverless-like local broker for %s is up (started in %.1f s); Ctrl-C stops it.%n",
                host, deployment.startupTime().toMillis() / 1000.0);
        // The quotas are always on: an example that works here keeps within them on a real deployment too.
        System.out.printf("Serverless' quotas are enforced, as EMQX enforces them:%n"
                        + "  %d messages a second per client (over it, MQTT 5 gets PUBACK 0x97; MQTT 3.1.1 loses the message unawares),%n"
                        + "  %d subscriptions per client, %d levels per subscribed filter, client ids up to %d characters,%n"
                        + "  messages up to 1 MB, %d queued messages per session.%n"
                        + "Its ACL lets the user subscribe to, not publish on, topics under %s (MQTT 5 gets PUBACK 0x87).%n%n",
                Quota.PUBLISH_RATE.limit(), Quota.SUBSCRIPTIONS.limit(), Quota.TOPIC_LEVELS.limit(),
                Quota.CLIENT_ID_LENGTH.limit(), LocalBroker.SESSION_QUEUE_LENGTH, ReadOnlyTopics.PREFIX);
        System.out.println("# Paste these into another shell. MQTT_PORT stands for Serverless' 8883 (MQTT over TLS),");
        System.out.println("# MQTT_WS_PORT for 8084 (MQTT over WebSocket with TLS, path /mqtt).");
        // A throwaway credential for a local broker: printed here on purpose.
        System.out.println("export " + variables.entrySet().stream()
                .map(variable -> variable.getKey() + "=" + variable.getValue()).collect(Collectors.joining(" ")));
        // The example's JVM resolves the test host name through this file instead of /etc/hosts (nothing to edit).
        System.out.println("# Java programs started from that shell resolve " + host + " through this file, without editing");
        System.out.println("# /etc/hosts. They resolve nothing else, Maven included: build first, or unset it to run Maven.");
        System.out.println("export JAVA_TOOL_OPTIONS=-Djdk.net.hosts.file=" + deployment.hostsFile().orElseThrow());
        System.out.println("# Then, for example: java -jar paho-example/target/paho-example.jar");
        System.out.println("#   WebSocket:  MQTT_PORT=$MQTT_WS_PORT java -jar websocket-example/target/websocket-example.jar");
        // The same broker without what Serverless adds in front of it: for trying the suite's external mode
        // (./mvnw verify -Dbroker=external) against a broker that enforces less, as a self-hosted one may.
        System.out.println("# The same broker without its SNI front (accepts any SNI or none, never answers a wrong WebSocket");
        System.out.printf("# path), like many self-hosted brokers: MQTT_PORT=%d MQTT_WS_PORT=%d%n",
                deployment.directEndpoint().tlsPort(), deployment.directEndpoint().wssPort());
        System.out.flush();
        Thread.currentThread().join(); // until Ctrl-C
    }
}
