/**
 * Declaration of the topic exchange that both the publisher and the subscriber use.
 *
 * @module
 */

import type { Channel, ChannelModel } from "amqplib";

/**
 * Uses the exchange if it exists, whatever its settings, and declares it as a topic exchange
 * otherwise. An existing exchange is left alone because the broker refuses a declaration whose
 * durability differs, which would stop this service from starting beside services that declared
 * it first. A passive check on a missing exchange closes its channel, so it runs on a separate one.
 */
export async function declareExchange(
  channel: Channel,
  connection: ChannelModel,
  exchange: string,
  durable: boolean,
): Promise<void> {
  const probe = await connection.createChannel();
  probe.on("error", () => {
    // A missing exchange closes the probe with a 404 error, which is the expected outcome here.
  });

  let exists = true;
  try {
    await probe.checkExchange(exchange);
  } catch {
    exists = false;
  }

  if (exists) {
    await probe.close();
    return;
  }

  await channel.assertExchange(exchange, "topic", { durable });
}
