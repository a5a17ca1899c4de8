/**
 * OPC UA PubSub JSON (OPC 10000-14) and OPC Publisher topics into the starter plant: one twin per
 * DataSetWriter (named by its DataSetWriterName, else "Writer <id>"), a point per field, and one
 * `opcua-json` binding per writer that selects it by id or name (several writers share a writer
 * group's topic). Legacy "Samples" topics become one twin per topic with a point per NodeId.
 */
import type { TopicFinding } from "./BrokerSurvey.ts";
import type { DraftPlant } from "./DraftPlant.ts";
import { dtdlName, nodeIdLabel, UniqueNames } from "./names.ts";

export function addOpcUa(draft: DraftPlant, findings: Iterable<TopicFinding>, notes: string[]): void {
  for (const f of findings) {
    const shape = f.shape;
    const lastLevel = f.topic.split("/").at(-1)!;
    if (shape?.kind === "samples") {
      if (shape.nodes.size === 0) continue;
      const name = shape.application ?? lastLevel;
      const twin = draft.twin(name.replace(/^urn:/, ""), name, draft.area(`opcua:${name}`, name));
      const names = new UniqueNames();
      const points = [...shape.nodes].map(([nodeId, s]) => {
        const point = names.take(dtdlName(nodeIdLabel(s.name)));
        twin.points.push({ name: point, displayName: s.name, kind: s.value, rate: f.rate });
        return { point, field: nodeId };
      });
      draft.bindings.push({ topic: f.topic, format: "opcua-json", twin: twin.id, points });
      continue;
    }
    if (shape?.kind !== "opcua") continue;
    const publishers = new Set(shape.writers.map((w) => w.publisher));
    const several = shape.writers.length > 1;
    for (const w of shape.writers) {
      if (w.fields.size === 0) continue;
      const named = w.writerId !== undefined || w.writerName !== undefined;
      if (several && !named) {
        notes.push(
          `OPC UA topic ${f.topic}: a writer without DataSetWriterId or name shares the topic with others; skipped (it cannot be told apart).`,
        );
        continue;
      }
      const label = w.writerName ?? (w.writerId !== undefined ? `Writer ${w.writerId}` : lastLevel);
      const areaName = w.publisher ?? lastLevel;
      const twin = draft.twin(label, label, draft.area(`opcua:${areaName}`, areaName));
      const names = new UniqueNames();
      const points = [...w.fields].map(([field, kind]) => {
        const point = names.take(dtdlName(nodeIdLabel(field)));
        twin.points.push({ name: point, displayName: field, kind, rate: f.rate });
        return { point, field };
      });
      draft.bindings.push({
        topic: f.topic,
        format: "opcua-json",
        ...(publishers.size > 1 && w.publisher !== undefined ? { publisher: w.publisher } : {}),
        ...(w.writerId !== undefined
          ? { writerId: w.writerId }
          : w.writerName !== undefined
            ? { writerName: w.writerName }
            : {}),
        twin: twin.id,
        points,
      });
    }
  }
}
