console.log('args', JSON.stringify(process.argv.slice(2)), 'INIT_CWD', process.env.INIT_CWD);
