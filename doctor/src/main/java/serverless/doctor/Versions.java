package serverless.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The doctor's and Paho's versions, written into versions.properties by the build. */
record Versions(String doctor, String paho) {

    static Versions load() {
        Properties properties = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException unreadable) {
            // both shown as "unknown"
        }
        return new Versions(properties.getProperty("doctor.version", "unknown"),
                properties.getProperty("paho.version", "unknown"));
    }
}
