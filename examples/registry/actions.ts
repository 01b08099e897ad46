/**
 * The registry service's design-time actions: properties forms, self links and opener choices.
 * The names, prompts and inputs of the forms and self links are those of heaserver-registry
 * 1.13.2, because the web client renders its forms from them.
 *
 * @module
 */

import type { Action, ActionInput, Suggestion } from "../../mod.ts";

const PEOPLE_OPTIONS = {
  path: "peopleviews/?sort=asc&sort_attr=display_name&return_attr=id&return_attr=display_name",
  value: "id",
  text: "display_name",
};
const GROUP_OPTIONS = {
  path: "groupviews/?sort=asc&return_attr=id&return_attr=display_name",
  value: "id",
  text: "display_name",
};
const SHARE_PERMISSION_CHOICES: readonly Suggestion[] = [
  { value: "COOWNER", text: "Co-owner" },
  { value: "DELETER", text: "Deleter" },
  { value: "EDITOR", text: "Editor" },
  { value: "SHARER", text: "Sharer" },
  { value: "VIEWER", text: "Viewer" },
];
/** heaserver-registry offers CREATOR in the component form only. */
const CREATOR_PERMISSION_CHOICES: readonly Suggestion[] = [
  { value: "COOWNER", text: "Co-owner" },
  { value: "CREATOR", text: "Creator" },
  { value: "DELETER", text: "Deleter" },
  { value: "EDITOR", text: "Editor" },
  { value: "SHARER", text: "Sharer" },
  { value: "VIEWER", text: "Viewer" },
];
const YES_NO: readonly Suggestion[] = [{ value: "false", text: "No" }, {
  value: "true",
  text: "Yes",
}];

/** The owner and timestamp inputs that every properties form has. */
const OWNER_INPUTS: readonly ActionInput[] = [
  {
    name: "owner",
    prompt: "Owner",
    required: true,
    type: "select",
    readOnly: true,
    optionsFromUrl: PEOPLE_OPTIONS,
  },
  { name: "created", prompt: "Created", readOnly: true, type: "datetime" },
  { name: "modified", prompt: "Modified", readOnly: true, type: "datetime" },
];

/**
 * Returns the user and group share sections. heaserver-registry marks the user or group and the
 * permissions read-only in the component form and editable in the property form.
 */
function shareInputs(readOnly: boolean): ActionInput[] {
  const onlyIfReadOnly = readOnly ? { readOnly: true } : {};
  const sections = [
    { section: "user_shares", sectionPrompt: "User permissions", name: "user", prompt: "User" },
    { section: "group_shares", sectionPrompt: "Group permissions", name: "group", prompt: "Group" },
  ];

  return sections.flatMap(({ section, sectionPrompt, name, prompt }) => [
    {
      name,
      prompt,
      required: true,
      type: "select",
      section,
      sectionPrompt,
      optionsFromUrl: name === "user" ? PEOPLE_OPTIONS : GROUP_OPTIONS,
      ...onlyIfReadOnly,
    },
    {
      name: "permissions",
      prompt: "Permissions",
      type: "select",
      section,
      cardinality: "multiple",
      suggest: SHARE_PERMISSION_CHOICES,
      ...onlyIfReadOnly,
    },
    {
      name: "type",
      prompt: "Type",
      required: true,
      readOnly: true,
      value: "heaobject.root.ShareImpl",
      section,
      display: false,
    },
  ]);
}

function superAdminInput(choices: readonly Suggestion[]): ActionInput {
  return {
    name: "super_admin_default_permissions",
    prompt: "Super admin default permissions",
    type: "select",
    cardinality: "multiple",
    suggest: choices,
    readOnly: true,
  };
}

/** Returns a multiple select of people or groups in the resources section. */
function resourceSelect(name: string, prompt: string, options: typeof PEOPLE_OPTIONS): ActionInput {
  return {
    name,
    prompt,
    type: "select",
    section: "resources",
    cardinality: "multiple",
    optionsFromUrl: options,
  };
}

/** Returns a required yes-or-no select in the resources section, `false` by default. */
function resourceYesNo(name: string, prompt: string): ActionInput {
  return {
    name,
    prompt,
    type: "select",
    suggest: YES_NO,
    required: true,
    value: "false",
    section: "resources",
  };
}

const RESOURCE_INPUTS: readonly ActionInput[] = [
  {
    name: "type_display_name",
    prompt: "Resource type name",
    required: true,
    value: "Resource",
    section: "resources",
    sectionPrompt: "Resources",
  },
  { name: "resource_type_name", prompt: "Resource type", required: true, section: "resources" },
  {
    name: "resource_collection_type_display_name",
    prompt: "Collection name",
    required: true,
    section: "resources",
  },
  {
    name: "type",
    prompt: "Type",
    required: true,
    readOnly: true,
    section: "resources",
    display: false,
  },
  resourceYesNo("manages_creators", "Manages who can create objects"),
  resourceSelect("creator_users", "Users who can create objects", PEOPLE_OPTIONS),
  resourceSelect("creator_groups", "Groups who can create objects", GROUP_OPTIONS),
  resourceSelect("collection_accessor_users", "Users who can access collection", PEOPLE_OPTIONS),
  resourceSelect("collection_accessor_groups", "Groups who can access collection", GROUP_OPTIONS),
  resourceYesNo("display_in_system_menu", "Display collection in system menu"),
  resourceYesNo("display_in_user_menu", "Display collection in user menu"),
  { name: "base_path", prompt: "Base path", required: true, readOnly: true, section: "resources" },
  {
    name: "file_system_name",
    prompt: "File system name",
    required: true,
    readOnly: true,
    section: "resources",
  },
  {
    name: "file_system_type",
    prompt: "File system type",
    required: true,
    readOnly: true,
    section: "resources",
  },
  // heaserver-registry 1.13.2 lists resource_type_name twice, the second time read-only. Both rows
  // stay, so that both registries send the same template.
  {
    name: "resource_type_name",
    prompt: "Resource type name",
    required: true,
    readOnly: true,
    section: "resources",
  },
];

/** Every action of the registry service. */
export const REGISTRY_ACTIONS: readonly Action[] = [
  {
    name: "heaserver-registry-component-get-properties",
    description: "View and edit this component's properties",
    type: "unsafe",
    action: "update",
    target: ["item", "cj-template"],
    prompt: "Properties",
    inputs: [
      { name: "id", prompt: "Id", readOnly: true },
      { name: "type", prompt: "Type", readOnly: true, required: true, display: false },
      { name: "name", prompt: "Unique name", required: true, readOnly: true, display: false },
      { name: "display_name", prompt: "Name", required: true },
      { name: "description", prompt: "Description", type: "textarea" },
      {
        name: "base_url",
        prompt: "Docker network base URL",
        required: true,
        type: "url",
        readOnly: true,
      },
      {
        name: "external_base_url",
        prompt: "External base URL",
        required: true,
        type: "url",
        readOnly: true,
      },
      ...RESOURCE_INPUTS,
      ...OWNER_INPUTS,
      { name: "source", prompt: "Source" },
      ...shareInputs(true),
      superAdminInput(CREATOR_PERMISSION_CHOICES),
    ],
  },
  {
    name: "heaserver-registry-component-get-self",
    description: "View this component",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "View",
  },
  {
    name: "heaserver-registry-component-get-open-choices",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "Open",
  },
  {
    name: "heaserver-registry-component-open-external",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "Open the service",
  },
  {
    name: "heaserver-registry-property-get-properties",
    description: "View and edit this property",
    type: "unsafe",
    action: "update",
    target: ["item", "cj-template"],
    prompt: "Properties",
    inputs: [
      { name: "id", prompt: "Id", readOnly: true, display: false },
      { name: "name", prompt: "Name", required: true },
      { name: "description", prompt: "Description", type: "textarea" },
      { name: "value", prompt: "Value", required: true },
      ...OWNER_INPUTS,
      { name: "source", prompt: "Source", readOnly: true, display: false },
      ...shareInputs(false),
      superAdminInput(SHARE_PERMISSION_CHOICES),
    ],
  },
  {
    name: "heaserver-registry-property-get-self",
    description: "View this property",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "View",
  },
];
