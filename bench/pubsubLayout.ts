/**
 * How the PubSub ingest bench lays the demo plant's points out the way OPC Publisher would publish them: writer
 * groups (one MQTT topic each) whose NetworkMessages carry several DataSetMessages (one per DataSetWriter), each
 * with several fields (Azure/Industrial-IoT docs/opc-publisher/messageformats.md, "PubSub" with --mm=PubSub;
 * test/fixtures/opcPublisher.ts holds the documented examples). The same layout gives the plant's bindings
 * (server side) and the messages (publisher child), so both agree on every field name.
 */
import type { PointSpec } from "./common.ts";

export interface PubSubGroup {
  topic: string;
  writers: { id: number; fields: { name: string; point: number }[] }[];
}

/** Field names as OPC Publisher often has them: display names with spaces and dots. */
export const fieldName = (key: string): string => key.replace("/", " . ");

export function layout(points: PointSpec[], prefix: string, writersPerGroup: number, fieldsPerWriter: number) {
  const groups: PubSubGroup[] = [];
  const perGroup = writersPerGroup * fieldsPerWriter;
  for (let g = 0; g * perGroup < points.length; g++) {
    const writers: PubSubGroup["writers"] = [];
    for (let w = 0; w < writersPerGroup; w++) {
      const fields: { name: string; point: number }[] = [];
      for (let f = 0; f < fieldsPerWriter; f++) {
        const i = g * perGroup + w * fieldsPerWriter + f;
        if (i < points.length) fields.push({ name: fieldName(points[i]!.key), point: i });
      }
      if (fields.length) writers.push({ id: w + 1, fields });
    }
    groups.push({ topic: `${prefix}opcpublisher/group${g + 1}`, writers });
  }
  return groups;
}

/** The plant's bindings for `groups`: one opcua-json binding per writer (selected by DataSetWriterId). */
export function bindings(groups: PubSubGroup[], points: PointSpec[], prefix: string) {
  return groups.flatMap((g) =>
    g.writers.map((w) => ({
      // The server puts MQTT_TOPIC_PREFIX in front of binding topics itself.
      topic: g.topic.slice(prefix.length),
      format: "opcua-json",
      writerId: w.id,
      points: w.fields.map((f) => {
        const [twin, point] = points[f.point]!.key.split("/");
        return { twin, point, field: f.name };
      }),
    })),
  );
}

/** One NetworkMessage (ua-data, delta frame) of group `g`, values moving with `seq`, source time `t` (ms). */
export function networkMessage(g: PubSubGroup, seq: number, points: PointSpec[], t: number): string {
  const at = new Date(t).toISOString();
  return JSON.stringify({
    MessageId: String(seq),
    MessageType: "ua-data",
    PublisherId: "opc.tcp://bench-plc:50000",
    Messages: g.writers.map((w) => ({
      DataSetWriterId: w.id,
      SequenceNumber: seq,
      MetaDataVersion: { MajorVersion: 1, MinorVersion: 0 },
      MessageType: "ua-deltaframe",
      Timestamp: at,
      Payload: Object.fromEntries(
        w.fields.map((f) => {
          const p = points[f.point]!;
          const k = 10 ** p.decimals;
          const v = Math.round((p.base + p.amplitude * Math.sin(seq * 0.001 + f.point)) * k) / k;
          return [f.name, { Value: v, SourceTimestamp: at, ServerTimestamp: at }];
        }),
      ),
    })),
  });
}
