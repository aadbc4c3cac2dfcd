package serverless.harness;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import serverless.harness.broker.ConnectionRecord;
import serverless.harness.broker.PublishRecord;
import serverless.harness.broker.QuotaRefusal;

/** A broker that answers everything as another one does; subclasses change what differs. */
abstract class ForwardingBroker implements Broker {

    private final Broker broker;

    ForwardingBroker(Broker broker) {
        this.broker = broker;
    }

    @Override
    public String description() {
        return broker.description();
    }

    @Override
    public Endpoint endpoint() {
        return broker.endpoint();
    }

    @Override
    public Set<Trait> traits() {
        return broker.traits();
    }

    @Override
    public boolean refuses(Refusal refusal) {
        return broker.refuses(refusal);
    }

    @Override
    public String lacks(Requirement requirement) {
        return broker.lacks(requirement);
    }

    @Override
    public String ipAddress() {
        return broker.ipAddress();
    }

    @Override
    public String nameWithoutSni() {
        return broker.nameWithoutSni();
    }

    @Override
    public List<ConnectionRecord> connections() {
        return broker.connections();
    }

    @Override
    public List<PublishRecord> publishes() {
        return broker.publishes();
    }

    @Override
    public List<QuotaRefusal> quotaRefusals() {
        return broker.quotaRefusals();
    }

    @Override
    public void liftPublishRate(Collection<String> clientIds) {
        broker.liftPublishRate(clientIds);
    }
}
