export const stateHandlers = {
  'pets exist': async () => {
    throw new Error('database is down');
  },
  'a pet exists': {
    setup: async () => {},
    teardown: async () => {
      throw new Error('could not delete pet 1');
    },
  },
};
