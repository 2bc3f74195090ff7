# Build: mvn -B -DskipTests package && docker build -t indicative-gateway:0.1.0 .
# Kubernetes: k8s/ (k8s/README.md). The preStop hook runs `sleep` from the base image's coreutils; with a read-only
# root filesystem the pod mounts /tmp (the JVM, RocksDB and Netty unpack native libraries there).
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin gateway \
 && mkdir -p /app/conf /data && chown 10001:10001 /data
COPY target/indicative-gateway.jar /app/indicative-gateway.jar
COPY conf/gateway.yaml /app/conf/gateway.yaml
WORKDIR /app
USER 10001:10001
ENV GATEWAY_DATA_DIR=/data
VOLUME /data
# 8080 HTTP (ingest, health, metrics); 5701 and 5702 cluster membership and event bus (when clustering is on)
EXPOSE 8080 5701 5702
ENTRYPOINT ["java", "-jar", "/app/indicative-gateway.jar"]
CMD ["run"]
