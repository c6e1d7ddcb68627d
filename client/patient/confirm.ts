/**
 * The confirmation, as the patient's page loads it on first use. Importing
 * client/ui/ConfirmDialog itself lazily, while the dashboard imports it
 * statically, would make the bundler wrap it in a module namespace helper
 * that the dashboard then loads too; through this module it does not.
 */
export { ConfirmDialog } from "../ui/ConfirmDialog";
