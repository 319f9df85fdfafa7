package io.keygate.server.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * One message a server sent the others through the shared database ({@code DatabaseChannel}): a change that takes
 * rights away from a token, counts, or a heartbeat. Rows live about a minute; readers follow the id, which the
 * database numbers, so the table needs no clock shared by the servers but for pruning.
 */
@Entity
@Table(name = "KG_CLUSTER_MESSAGE",
        indexes = @Index(name = "KG_CLUSTER_MESSAGE_CREATED", columnList = "CREATED_AT"))
public class ClusterMessageRow {

    /** The sequence that numbers the rows. */
    static final String SEQUENCE = "KG_CLUSTER_MESSAGE_SEQ";

    /**
     * From the sequence {@code KG_CLUSTER_MESSAGE_SEQ}, one number per insert (a sequence rather than an identity
     * column, which the provider cannot create on H2 2): numbered when the insert runs, so not always in commit
     * order.
     */
    @Id
    @SequenceGenerator(name = SEQUENCE, sequenceName = SEQUENCE, allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = SEQUENCE)
    @Column(name = "ID")
    private Long id;

    /** The sending server's id: a random UUID per start of {@code keygate.war}. */
    @Column(name = "SENDER", length = 40, nullable = false)
    private String sender;

    @Column(name = "KIND", length = 20, nullable = false)
    private String kind;

    @Column(name = "BODY", length = 8000, nullable = false)
    private String body;

    /** Epoch milliseconds by the sender's clock: only pruning reads it. */
    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    protected ClusterMessageRow() {
    }

    ClusterMessageRow(String sender, String kind, String body, long createdAt) {
        this.sender = sender;
        this.kind = kind;
        this.body = body;
        this.createdAt = createdAt;
    }

    public long getId() {
        return id;
    }

    public String getSender() {
        return sender;
    }

    public String getKind() {
        return kind;
    }

    public String getBody() {
        return body;
    }

    public long getCreatedAt() {
        return createdAt;
    }
}
