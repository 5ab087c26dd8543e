// What a page shows above its content: the last action's success notice or refusal, then a spinner
// while it loads, or the reason it could not load (the server's own words). Refusals are alerts.
import { MessageBar, MessageBarBody, Spinner } from "@fluentui/react-components";

/** A page's loading state: loading, failed with the server's detail, or loaded with what it holds. */
export type PageLoad<T> =
  | { readonly state: "loading" }
  | { readonly state: "failed"; readonly message: string }
  | ({ readonly state: "loaded" } & T);

export function LoadStatus(props: {
  readonly load: PageLoad<object>;
  /** The spinner's label, e.g. "Loading users". */
  readonly loading: string;
  /** The last action's outcome, shown as a success. */
  readonly notice?: string | undefined;
  /** The last action's refusal, in the server's words. */
  readonly refusal?: string | undefined;
}) {
  const { load, notice, refusal } = props;
  return (
    <>
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {refusal && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{refusal}</MessageBarBody>
        </MessageBar>
      )}
      {load.state === "loading" && <Spinner label={props.loading} />}
      {load.state === "failed" && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{load.message}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
