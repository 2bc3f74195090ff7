# Build: mvn -B -DskipTests package && docker build -t indicative-gateway:0.1.0 .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 gateway && mkdir -p /app/conf /data && chown gateway /data
COPY target/indicative-gateway.jar /app/indicative-gateway.jar
COPY conf/gateway.yaml /app/conf/gateway.yaml
WORKDIR /app
USER 10001
ENV GATEWAY_DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/indicative-gateway.jar"]
CMD ["run"]
