/** Styles live inside the widget's shadow root: the host page's CSS cannot reach in, ours cannot leak out. */
export const styles = `
:host { all: initial; }
* { box-sizing: border-box; font-family: -apple-system, "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; border: 0; border-radius: 24px;
  background: #1677ff; color: #fff; padding: 12px 18px; font-size: 15px; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.2); }
.launcher .badge { display: none; margin-left: 6px; background: #ff4d4f; border-radius: 10px; padding: 0 6px; font-size: 12px; }
.launcher.unread .badge { display: inline-block; }
.panel { position: fixed; right: 20px; bottom: 80px; z-index: 2147483000; width: 360px; max-width: calc(100vw - 24px);
  height: 520px; max-height: calc(100vh - 100px); background: #fff; border-radius: 12px; display: none; flex-direction: column;
  box-shadow: 0 8px 30px rgba(0,0,0,.25); overflow: hidden; color: #1f1f1f; font-size: 14px; }
.panel.open { display: flex; }
.header { background: #1677ff; color: #fff; padding: 12px 14px; display: flex; align-items: center; justify-content: space-between; }
.header .title { font-weight: 600; }
.header button { background: transparent; border: 0; color: #fff; font-size: 20px; cursor: pointer; line-height: 1; }
.notice { background: #fffbe6; color: #ad6800; padding: 8px 12px; font-size: 13px; display: none; border-bottom: 1px solid #ffe58f; }
.notice.show { display: block; }
.messages { flex: 1; overflow-y: auto; padding: 12px; background: #f5f6f8; }
.row { display: flex; margin: 8px 0; }
.row.visitor { justify-content: flex-end; }
.bubble { max-width: 75%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; word-break: break-word; line-height: 1.5; }
.row.agent .bubble { background: #fff; border: 1px solid #e8e8e8; }
.row.visitor .bubble { background: #1677ff; color: #fff; }
.row.system .bubble { background: transparent; color: #8c8c8c; font-size: 12px; max-width: 100%; margin: 0 auto; }
.bubble img { max-width: 200px; max-height: 200px; border-radius: 6px; display: block; cursor: zoom-in; }
.composer { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #f0f0f0; align-items: flex-end; }
.composer textarea { flex: 1; resize: none; border: 1px solid #d9d9d9; border-radius: 8px; padding: 8px; font-size: 14px; height: 40px; max-height: 100px; }
.composer button { border: 0; border-radius: 8px; padding: 0 12px; height: 40px; cursor: pointer; font-size: 14px; }
.composer .send { background: #1677ff; color: #fff; }
.composer .pick { background: #f0f0f0; color: #595959; display: flex; align-items: center; }
.composer input[type=file] { display: none; }
`;
