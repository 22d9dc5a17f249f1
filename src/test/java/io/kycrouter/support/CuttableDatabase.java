package io.kycrouter.support;

import org.apache.camel.test.AvailablePortFinder;
import org.h2.tools.Server;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * An H2 server reached through a {@link TcpProxy}, so a test can cut the network between the router and its
 * database ({@link #cut()}) and mend it ({@link #mend()}) while the database itself stays up.
 */
public final class CuttableDatabase implements AutoCloseable {

    private final Server server;
    private final TcpProxy network;
    private final int proxyPort;

    private CuttableDatabase(Server server, TcpProxy network, int proxyPort) {
        this.server = server;
        this.network = network;
        this.proxyPort = proxyPort;
    }

    public static CuttableDatabase start(Path dir) throws SQLException, IOException {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        int proxyPort = AvailablePortFinder.getNextAvailable();
        return new CuttableDatabase(server, new TcpProxy(proxyPort, server.getPort()), proxyPort);
    }

    /** Points the router's settings at this database, with a short wait for connections. */
    public Map<String, String> configure(Map<String, String> settings) {
        settings.put("kyc.db.url", "jdbc:h2:tcp://127.0.0.1:" + proxyPort + "/kyc");
        settings.put("kyc.db.user", "sa");
        settings.put("kyc.db.pool.connection-timeout-ms", "1000");
        return settings;
    }

    public void cut() throws IOException {
        network.cut();
    }

    public void mend() throws IOException {
        network.mend();
    }

    /** Every chunk between the router and its database waits this long first (0: no delay). */
    public void slow(int millis) {
        network.slow(millis);
    }

    @Override
    public void close() throws IOException {
        network.close();
        server.stop();
    }
}
