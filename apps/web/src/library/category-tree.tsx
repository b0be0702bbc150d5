import { DeleteOutlined, EditOutlined, FolderAddOutlined, PlusOutlined } from "@ant-design/icons";
import type { LibraryCategory, LibraryKind } from "@yunxi/contracts";
import type { TreeDataNode } from "antd";
import { App, Button, Input, Modal, Popconfirm, Space, Tree } from "antd";
import { useMemo, useState } from "react";
import { libraryApi } from "../assist/library-api.ts";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";

type Props = {
  kind: LibraryKind;
  categories: readonly LibraryCategory[];
  /** null: every category. */
  selected: string | null;
  onSelect: (id: string | null) => void;
  /** Supervisors and above add, rename and delete. */
  editable: boolean;
  onChanged: () => void;
};

/** Antd's tree data from the flat pre-ordered list the API answers. */
export function toTreeData(categories: readonly LibraryCategory[]): TreeDataNode[] {
  const nodes = new Map<string, TreeDataNode & { children: TreeDataNode[] }>();
  const roots: TreeDataNode[] = [];
  for (const c of categories) nodes.set(c.id, { key: c.id, title: c.name, children: [] });
  for (const c of categories) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export type TreeSelectNode = { value: string; title: string; children: TreeSelectNode[] };

/** The same tree for a TreeSelect (choosing an item's category). */
export function toTreeSelectData(categories: readonly LibraryCategory[]): TreeSelectNode[] {
  const nodes = new Map<string, TreeSelectNode>();
  const roots: TreeSelectNode[] = [];
  for (const c of categories) nodes.set(c.id, { value: c.id, title: c.name, children: [] });
  for (const c of categories) {
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    if (parent) parent.children.push(nodes.get(c.id)!);
    else roots.push(nodes.get(c.id)!);
  }
  return roots;
}

/** The category tree of the library (product category × inquiry type …), with its editing tools. */
export function CategoryTree({ kind, categories, selected, onSelect, editable, onChanged }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<{ mode: "add" | "rename"; parentId: string | null; id?: string } | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const data = useMemo(() => toTreeData(categories), [categories]);
  const current = categories.find((c) => c.id === selected) ?? null;

  const save = async () => {
    if (!editing || !name.trim()) return;
    setBusy(true);
    try {
      if (editing.mode === "add") {
        const created = await libraryApi.createCategory({ kind, name: name.trim(), parentId: editing.parentId });
        onSelect(created.id);
      } else if (editing.id) {
        await libraryApi.updateCategory(editing.id, { name: name.trim() });
      }
      setEditing(null);
      onChanged();
    } catch (cause) {
      message.error(errorText(cause, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: string) => {
    try {
      await libraryApi.deleteCategory(id);
      onSelect(null);
      onChanged();
    } catch (cause) {
      message.error(errorText(cause, t));
    }
  };

  return (
    <div className="library-tree" data-testid={`library-tree-${kind}`}>
      <div className="library-tree-head">
        <Button
          size="small"
          type={selected === null ? "primary" : "text"}
          ghost={selected === null}
          onClick={() => onSelect(null)}
        >
          {t("library.allCategories")}
        </Button>
        {editable && (
          <Space size={0}>
            <Button
              size="small"
              type="text"
              icon={<PlusOutlined />}
              aria-label={t("library.category.addRoot")}
              title={t("library.category.addRoot")}
              data-testid="category-add-root"
              onClick={() => {
                setName("");
                setEditing({ mode: "add", parentId: null });
              }}
            />
            {current && (
              <>
                <Button
                  size="small"
                  type="text"
                  icon={<FolderAddOutlined />}
                  aria-label={t("library.category.addChild")}
                  title={t("library.category.addChild")}
                  onClick={() => {
                    setName("");
                    setEditing({ mode: "add", parentId: current.id });
                  }}
                />
                <Button
                  size="small"
                  type="text"
                  icon={<EditOutlined />}
                  aria-label={t("library.category.rename")}
                  title={t("library.category.rename")}
                  onClick={() => {
                    setName(current.name);
                    setEditing({ mode: "rename", parentId: current.parentId, id: current.id });
                  }}
                />
                <Popconfirm title={t("library.category.deleteConfirm")} onConfirm={() => void remove(current.id)}>
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t("library.category.delete")}
                    title={t("library.category.delete")}
                  />
                </Popconfirm>
              </>
            )}
          </Space>
        )}
      </div>
      <Tree
        // Remounted when the tree changes, so that new branches open too.
        key={categories.map((c) => c.id).join(",")}
        blockNode
        defaultExpandAll
        treeData={data}
        selectedKeys={selected ? [selected] : []}
        onSelect={(keys) => onSelect(keys.length > 0 ? String(keys[0]) : null)}
      />
      {editing && (
        <Modal
          open
          title={editing.mode === "add" ? t("library.category.addTitle") : t("library.category.rename")}
          okText={t("common.save")}
          cancelText={t("common.cancel")}
          confirmLoading={busy}
          onOk={() => void save()}
          onCancel={() => setEditing(null)}
          destroyOnHidden
        >
          <Input
            autoFocus
            maxLength={40}
            value={name}
            onChange={(event) => setName(event.target.value.replace(/[/／>＞]/g, ""))}
            onPressEnter={() => void save()}
            placeholder={t("library.category.namePlaceholder")}
            data-testid="category-name-input"
          />
        </Modal>
      )}
    </div>
  );
}
