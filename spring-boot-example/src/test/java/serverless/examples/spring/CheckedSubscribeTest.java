package serverless.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttAsyncClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttToken;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

/** The client as the inbound adapter gets it: a refusing SUBACK throws; anything else passes through unchanged. */
class CheckedSubscribeTest {

    private final List<String> calls = new ArrayList<>();

    @Test
    void aSubackThatRefusesThrowsWithItsReasonCode() {
        IMqttAsyncClient client = CheckedSubscribe.around(clientWhoseSubackSays(0x8F), 1000);

        assertThatThrownBy(() -> client.subscribe(new MqttSubscription("t", 1)))
                .isInstanceOfSatisfying(Refusals.SubscriptionRefused.class, refused -> {
                    assertThat(refused.getReasonCode()).isEqualTo(0x8F);
                    assertThat(refused.suback).isEqualTo("0x8F topic filter invalid");
                });
    }

    @Test
    void aGrantedSubscriptionAndEveryOtherCallPassThrough() throws Exception {
        IMqttAsyncClient client = CheckedSubscribe.around(clientWhoseSubackSays(0x01), 1000);

        IMqttToken granted = client.subscribe(new MqttSubscription("t", 1));
        client.getClientId();

        assertThat(granted.getReasonCodes()).containsExactly(0x01);
        assertThat(calls).containsExactly("subscribe", "getClientId");
    }

    /** A client that records the methods called, and completes every subscribe with a SUBACK of {@code reasonCode}. */
    private IMqttAsyncClient clientWhoseSubackSays(int reasonCode) {
        MqttToken suback = new MqttToken("spring-00000000") {
            @Override
            public void waitForCompletion(long timeout) {
                // complete already
            }

            @Override
            public int[] getReasonCodes() {
                return new int[] {reasonCode};
            }
        };
        return (IMqttAsyncClient) Proxy.newProxyInstance(IMqttAsyncClient.class.getClassLoader(),
                new Class<?>[] {IMqttAsyncClient.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    return method.getName().equals("subscribe") ? suback : null;
                });
    }
}
