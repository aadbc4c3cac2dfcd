package serverless.bench;

/** MQTT over TLS (Serverless: 8883) or over WebSocket with TLS (8084, path /mqtt). */
enum Transport {
    TLS, WSS
}
