package serverless.examples.spring;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;

/**
 * The shared Paho client as {@link SessionClientManager#getClient} hands it out: the same client, but a subscribe
 * whose SUBACK refuses (a reason code of 0x80 or more: the ACL, Serverless' subscription quota) throws
 * {@link Refusals.SubscriptionRefused}. Paho's MQTT 5 client completes a subscribe on any SUBACK, and Spring
 * Integration's inbound adapter waits for it without reading its reason codes: it would announce a refused
 * subscription as made ({@code MqttSubscribedEvent}), and the refusal would show only as messages that never come
 * back. The adapter reports what its subscribe throws as a {@code MqttConnectionFailedEvent}, which ends the run.
 */
final class CheckedSubscribe implements InvocationHandler {

    private final IMqttAsyncClient client;
    private final long timeoutMillis;

    private CheckedSubscribe(IMqttAsyncClient client, long timeoutMillis) {
        this.client = client;
        this.timeoutMillis = timeoutMillis;
    }

    /** {@code client}, whose subscribe waits up to {@code timeoutMillis} for the SUBACK and throws if it refuses. */
    static IMqttAsyncClient around(IMqttAsyncClient client, long timeoutMillis) {
        return (IMqttAsyncClient) Proxy.newProxyInstance(IMqttAsyncClient.class.getClassLoader(),
                new Class<?>[] {IMqttAsyncClient.class}, new CheckedSubscribe(client, timeoutMillis));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object result;
        try {
            result = method.invoke(client, args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // Paho's own exception, as the caller expects it
        }
        if (method.getName().equals("subscribe") && result instanceof IMqttToken subscription) {
            subscription.waitForCompletion(timeoutMillis); // what the adapter does next anyway
            for (int reasonCode : subscription.getReasonCodes()) {
                if (reasonCode >= 0x80) {
                    throw new Refusals.SubscriptionRefused(reasonCode);
                }
            }
        }
        return result;
    }
}
