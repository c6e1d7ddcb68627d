/** The red unread counter; screen readers hear "<n> unread messages". */
export function Unread({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span class="badge">
      <span aria-hidden="true">{count}</span>
      <span class="sr-only">
        {count} unread {count === 1 ? "message" : "messages"}
      </span>
    </span>
  );
}
