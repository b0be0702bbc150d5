import type { AgentGroup, AgentState, Conversation } from "@yunxi/contracts";
import { Alert, Form, Input, Modal, Radio, Select } from "antd";
import { useState } from "react";
import { assignmentApi } from "../api/admin-workspace-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { noteOwnAction } from "../notifications/own-actions.ts";
import { StatusDot, statusLooks } from "../presence/status-look.tsx";
import { errorText } from "../shared/error-text.ts";
import { servesStore, transferTargets } from "./supervisor-state.ts";

type Values = { target: "agent" | "group"; toUserId?: string; toGroupId?: string; note?: string };

type Props = {
  conversation: Conversation;
  agents: Iterable<AgentState>;
  groups: readonly AgentGroup[];
  onClose: () => void;
  onDone: (conversation: Conversation) => void;
};

/** Transfer a conversation to another agent or to a group, with a note the next agent reads. */
export function ReassignModal({ conversation, agents, groups, onClose, onDone }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const target = Form.useWatch("target", form) ?? "agent";
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const candidates = transferTargets(agents, conversation);

  const submit = async () => {
    const values = await form.validateFields();
    const note = values.note?.trim() ?? "";
    const body =
      values.target === "group"
        ? { toGroupId: values.toGroupId ?? "", note }
        : { toUserId: values.toUserId ?? "", note };
    setSaving(true);
    setFailure(null);
    try {
      noteOwnAction(conversation.id);
      onDone(await assignmentApi.transfer(conversation.id, body));
    } catch (cause) {
      // e.g. 422 not_serving_store: the server says why.
      setFailure(errorText(cause, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t("supervisor.reassignTitle", { buyer: conversation.customer.displayName })}
      okText={t("supervisor.reassign")}
      cancelText={t("common.cancel")}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ "data-testid": "reassign-submit" }}
    >
      {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
      <Form<Values> form={form} layout="vertical" requiredMark={false} initialValues={{ target: "agent" }}>
        <Form.Item name="target">
          <Radio.Group
            optionType="button"
            options={[
              { value: "agent", label: t("supervisor.toAgent") },
              { value: "group", label: t("supervisor.toGroup"), disabled: groups.length === 0 },
            ]}
          />
        </Form.Item>
        {target === "agent" ? (
          <Form.Item
            name="toUserId"
            label={t("supervisor.toAgent")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <Select
              showSearch
              optionFilterProp="title"
              data-testid="reassign-agent"
              options={candidates.map((agent) => ({
                value: agent.userId,
                title: agent.name,
                disabled: !servesStore(agent, conversation.storeId),
                label: (
                  <span className="reassign-option">
                    <StatusDot status={agent.status} />
                    <span>{agent.name}</span>
                    <span className="muted">
                      {t(statusLooks[agent.status].label)} · {agent.load}/{agent.capacity}
                      {servesStore(agent, conversation.storeId) ? "" : ` · ${t("supervisor.notServing")}`}
                    </span>
                  </span>
                ),
              }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="toGroupId"
            label={t("supervisor.toGroup")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <Select options={groups.map((group) => ({ value: group.id, label: group.name }))} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t("supervisor.transferNote")} extra={t("supervisor.transferNoteHint")}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
